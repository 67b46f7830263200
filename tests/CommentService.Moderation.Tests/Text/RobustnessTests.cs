using System.Text;
using CommentService.Moderation.Text;

namespace CommentService.Moderation.Tests.Text;

public sealed class RobustnessTests
{
    private static readonly string[] Pieces =
    [
        "a", "b", "c", "k", "s", "u", "x", "I", "l", "1", "0", "3", "4", "5", "@", "$", "!", "|", "*", ".", "-", "_", "'",
        " ", "  ", "\n", "\t", "&", "&#", "&#117;", "&#x1F600;", "&amp;", "&bogus;", "&#0;", "&#99999999;", "\u200B", "\u00AD",
        "\u0301", "\u0336", "\uFE0F", "\uD835\uDC1C", "\uD83C\uDDE8", "\uD83D\uDE00", "\uD800", "\uDC00", "ｆ", "ⓒ", "с", "ο",
        "é", "ß", "ﬁ", "™", "½", "中", "ع", "https://", "www.", "x.com", "fuck", "c0ck", "you", "Simone", "455", "80085",
        "s e x", "f.u.c.k", "#", "(", ")", "?", ",", "=", "\"",
    ];

    [Fact]
    public async Task Random_text_never_throws_and_every_flag_points_into_the_body()
    {
        var random = new Random(20261127);
        var pipeline = ModerationPipeline.CreateDefault();
        var policy = ModerationPolicy.Default with
        {
            PreModeration = PreModeration.Links,
            Terms = [new SiteTerm("casino", TermAction.Hold), new SiteTerm("c*ck", TermAction.Flag), new SiteTerm("中", TermAction.Flag)],
        };
        for (var i = 0; i < 2000; i++)
        {
            var sb = new StringBuilder();
            var pieces = random.Next(0, 40);
            for (var p = 0; p < pieces; p++)
            {
                sb.Append(Pieces[random.Next(Pieces.Length)]);
            }
            var body = sb.ToString();
            var verdict = await pipeline.RunAsync(new ModerationRequest { Body = body, AuthorName = "x", Policy = policy, ParentAuthorName = "Simone" });
            foreach (var flag in verdict.Flags.Where(f => f.Start is not null))
            {
                Assert.InRange(flag.Start!.Value, 0, body.Length);
                Assert.InRange(flag.Start.Value + flag.Length!.Value, flag.Start.Value, body.Length);
                Assert.Equal(body.Substring(flag.Start.Value, flag.Length.Value), flag.Evidence);
            }
            var view = TextViews.Aggressive(body);
            foreach (var word in view.Words)
            {
                var (start, length) = view.ToOriginal(word);
                Assert.InRange(start + length, 0, body.Length);
                Assert.True(length > 0);
            }
        }
    }

    [Fact]
    public async Task A_long_comment_is_handled_in_one_pass()
    {
        var body = string.Concat(Enumerable.Repeat("The film is about loneliness and sex, f.u.c.k, 455 pages; ", 2000));
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        Assert.True(verdict.Flags.Count <= 20);
    }

    [Fact]
    public void A_single_word_of_thousands_of_letters_or_masks_is_handled()
    {
        var view = TextViews.Aggressive(new string('*', 5000) + "a" + new string('*', 5000) + "b" + new string('1', 3000));
        Assert.Single(view.Words);
        var context = Moderate.Context("x" + string.Concat(Enumerable.Repeat("f*", 3000)) + "k");
        _ = new CommentService.Moderation.Crude.CrudeLanguagePhase().Assess(context);
    }
}
