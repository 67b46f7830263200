using System.Net;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;

namespace CommentService.Api.Features.Imports;

/// <summary>An article of an import file; its comments name it by <see cref="Key"/>.</summary>
public sealed record ImportedThread(string Key, string ArticleId, string? Title, string? Url, bool Closed, int Line);

/// <summary>One comment read from an import file, already mapped to the service's fields and limits.</summary>
public sealed record ImportedComment
{
    public required string SourceId { get; init; }
    public required string ThreadKey { get; init; }
    public string? ParentSourceId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EditedAt { get; init; }
    public CommentStatus Status { get; init; }
    public required string AuthorName { get; init; }
    public string? AuthorEmail { get; init; }
    public string? AuthorUrl { get; init; }

    /// <summary>An identity hash carried over from a JSON Lines export of this service; otherwise computed like a new comment's.</summary>
    public string? AuthorKey { get; init; }

    /// <summary>The author's user id on the site (WordPress comment_user_id): known like an X-User-Token with that sub.</summary>
    public string? SiteUserId { get; init; }
    public bool AuthorVerified { get; init; }
    public string? AuthorAvatarUrl { get; init; }
    public IPAddress? Address { get; init; }
    public required string Body { get; init; }
    public bool Pinned { get; init; }
    public int Upvotes { get; init; }
    public int Downvotes { get; init; }
    public int Line { get; init; }
}

/// <summary>What a reader made of a whole file: articles, comments, and the items it could not take.</summary>
public sealed class ParsedImport
{
    public Dictionary<string, ImportedThread> Threads { get; } = new(StringComparer.Ordinal);
    public List<ImportedComment> Comments { get; } = [];

    /// <summary>Items that break the file's rules; the import stops on any unless partial=true.</summary>
    public List<ImportIssue> Invalid { get; } = [];

    /// <summary>Things imported with a change (shortened names and bodies) or left out on purpose (pingbacks).</summary>
    public List<ImportIssue> Notes { get; } = [];
    public int Ignored { get; set; }

    /// <summary>Set when the file stopped being readable (malformed XML); what came before it was kept.</summary>
    public ImportIssue? Fatal { get; set; }

    public void AddInvalid(int line, int? column, string? sourceId, string reason) =>
        Invalid.Add(new ImportIssue("invalid", line, column, sourceId, reason));

    public void AddNote(string kind, int line, string? sourceId, string reason) =>
        Notes.Add(new ImportIssue(kind, line, null, sourceId, reason));

    /// <summary>Drops comments whose article is missing or was invalid, reporting each.</summary>
    public void DropCommentsWithoutThread()
    {
        Comments.RemoveAll(c =>
        {
            if (Threads.ContainsKey(c.ThreadKey))
            {
                return false;
            }
            AddInvalid(c.Line, null, c.SourceId, $"The comment's article '{c.ThreadKey}' is not in the file (or was invalid).");
            return true;
        });
    }
}

/// <summary>The file formats an import reads.</summary>
public static class ImportFormats
{
    public const string Disqus = "disqus";
    public const string Wxr = "wxr";
    public const string JsonLines = "jsonl";

    public static readonly string[] All = [Disqus, Wxr, JsonLines];

    /// <summary>Which value of the file becomes the article ID, per format; the first is the default.</summary>
    public static IReadOnlyList<string> ArticleIdSources(string format) => format switch
    {
        Disqus => ["link", "identifier", "path"],
        Wxr => ["link", "postId", "slug", "path"],
        _ => ["articleId"],
    };
}

/// <summary>The service's limits applied to imported values: shortened, dropped or refused, never stored out of bounds.</summary>
public static class ImportFields
{
    public const string AnonymousName = "Anonymous";

    /// <summary>Trimmed, cleaned of control characters, at most 80 characters; "Anonymous" when empty.</summary>
    public static string AuthorName(string? raw, ParsedImport into, int line, string sourceId)
    {
        var name = Clean(raw, multiline: false).Trim();
        if (name.Length == 0)
        {
            return AnonymousName;
        }
        if (name.Length > Limits.AuthorNameLength)
        {
            into.AddNote("shortened", line, sourceId, $"The author name was cut to {Limits.AuthorNameLength} characters.");
            return Cut(name, Limits.AuthorNameLength).TrimEnd();
        }
        return name;
    }

    /// <summary>The address when it looks like one (kept only encrypted and as a keyed hash); otherwise none.</summary>
    public static string? Email(string? raw)
    {
        var email = Clean(raw, multiline: false).Trim();
        return email.Length is > 2 and <= Limits.AuthorEmailLength && email.IndexOf('@', 1) > 0 ? email : null;
    }

    /// <summary>An absolute http(s) URL within the limit; anything else is dropped.</summary>
    public static string? Url(string? raw)
    {
        var url = Clean(raw, multiline: false).Trim();
        return url.Length is > 0 and <= Limits.AuthorUrlLength && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? url
            : null;
    }

    public static IPAddress? Address(string? raw) =>
        IPAddress.TryParse((raw ?? "").Trim(), out var address) ? address : null;

    /// <summary>
    /// The body within the service's limit (longer ones are cut, and noted). Deleted comments keep no
    /// text, as when an author deletes one here. Null when a shown comment has no text at all.
    /// </summary>
    public static string? Body(string text, CommentStatus status, ParsedImport into, int line, string sourceId)
    {
        if (status == CommentStatus.Deleted)
        {
            return "";
        }
        var body = Clean(text, multiline: true).Trim();
        if (body.Length == 0)
        {
            return null;
        }
        if (body.Length > Limits.BodyLength)
        {
            into.AddNote("shortened", line, sourceId, $"The body was cut to {Limits.BodyLength} characters.");
            body = Cut(body, Limits.BodyLength - 1).TrimEnd() + "…";
        }
        return body;
    }

    /// <summary>A title within the thread title limit, or none.</summary>
    public static string? Title(string? raw)
    {
        var title = Clean(raw, multiline: false).Trim();
        return title.Length == 0 ? null : Cut(title, Limits.ThreadTitleLength);
    }

    /// <summary>Removes control characters (keeping newlines and tabs when multiline) and lone surrogates; CRLF becomes LF.</summary>
    public static string Clean(string? value, bool multiline)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        value = value.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!TextRules.HasForbiddenCharacters(value, multiline))
        {
            return value;
        }
        var clean = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                clean.Append(c).Append(value[++i]);
            }
            else if (!char.IsSurrogate(c) && (!char.IsControl(c) || (multiline && c is '\n' or '\t')))
            {
                clean.Append(c);
            }
            else if (c == '\r' && multiline)
            {
                clean.Append('\n');
            }
        }
        return clean.ToString();
    }

    /// <summary>The first <paramref name="length"/> characters, never splitting a surrogate pair.</summary>
    public static string Cut(string value, int length)
    {
        if (value.Length <= length)
        {
            return value;
        }
        return char.IsHighSurrogate(value[length - 1]) ? value[..(length - 1)] : value[..length];
    }
}
