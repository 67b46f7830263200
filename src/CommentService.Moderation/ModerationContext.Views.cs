using CommentService.Moderation.Authors;
using CommentService.Moderation.Context;
using CommentService.Moderation.Text;

namespace CommentService.Moderation;

public sealed partial class ModerationContext
{
    private TextView? light;
    private AggressiveView? aggressive;
    private ReplyReading? reply;
    private bool replyRead;

    /// <summary>The body with entities decoded, invisible characters removed and look-alikes folded; case, URLs and amounts intact. Built on first use.</summary>
    public TextView Light => light ??= TextViews.Light(Request.Body);

    /// <summary>The body as lower-case Latin words with every disguise undone, for word lists. Built on first use from <see cref="Light"/>.</summary>
    public AggressiveView Aggressive => aggressive ??= TextViews.Aggressive(Light);

    /// <summary>The reply read against its parent; null for a comment that is not a reply, or one judged without context. Built on first use.</summary>
    internal ReplyReading? Reply
    {
        get
        {
            if (!replyRead)
            {
                reply = ReplyReading.For(this);
                replyRead = true;
            }
            return reply;
        }
    }

    /// <summary>Whether the author has earned trust on this site (see <see cref="AuthorSignals.IsTrusted"/>).</summary>
    public bool AuthorIsTrusted => AuthorSignals.IsTrusted(Request.Author, Request.Policy);

    /// <summary>Whether the author has no approved comment on this site yet.</summary>
    public bool AuthorIsNew => AuthorSignals.IsNew(Request.Author);
}
