using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;

namespace CommentService.Api.Features.Imports.Readers;

/// <summary>
/// Reads the service's own JSON Lines export (README, "Import and export"): one JSON object per line,
/// <c>type</c> "export" (header), "thread" or "comment". A comment keeps its <c>sourceId</c>, so moving
/// comments between sites, or back, never duplicates them; its parent is found by <c>parentId</c>.
/// </summary>
public static class JsonLinesReader
{
    public const string SourcePrefix = "commentservice:";
    private const int MaxSourceIdLength = 200;

    public static async Task<ParsedImport> ReadAsync(Stream body, CancellationToken ct)
    {
        var parsed = new ParsedImport();
        var idToSource = new Dictionary<Guid, string>();
        var parents = new List<(int Index, Guid ParentId)>();
        using var reader = new StreamReader(body, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        var lineNumber = 0;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(ct);
            }
            catch (DecoderFallbackException)
            {
                parsed.Fatal = new ImportIssue("invalid", lineNumber + 1, null, null, "The file is not valid UTF-8 from this line on.");
                break;
            }
            if (line is null)
            {
                break;
            }
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            JsonObject record;
            try
            {
                record = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("A line must hold one JSON object.");
            }
            catch (JsonException ex)
            {
                parsed.AddInvalid(lineNumber, ex.BytePositionInLine is { } at ? (int)at + 1 : null, null, "Not a JSON object: " + ex.Message);
                continue;
            }
            try
            {
                switch (Text(record, "type"))
                {
                    case "export":
                        if (record["version"] is { } version && version.GetValueKind() == JsonValueKind.Number && version.GetValue<int>() > 1)
                        {
                            parsed.AddInvalid(lineNumber, null, null, $"Export version {version} is newer than this service reads (1).");
                        }
                        break;
                    case "thread":
                        Thread(record, lineNumber, parsed);
                        break;
                    case "comment":
                        if (Comment(record, lineNumber, parsed, idToSource) is { } parentId)
                        {
                            parents.Add((parsed.Comments.Count - 1, parentId));
                        }
                        break;
                    default:
                        parsed.AddInvalid(lineNumber, null, null, "Unknown record type: 'type' must be export, thread or comment.");
                        break;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
            {
                parsed.AddInvalid(lineNumber, null, record["sourceId"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null,
                    "A field has the wrong type: " + ex.Message);
            }
        }
        foreach (var (index, parentId) in parents)
        {
            var comment = parsed.Comments[index];
            parsed.Comments[index] = comment with
            {
                ParentSourceId = idToSource.TryGetValue(parentId, out var source) ? source : SourcePrefix + parentId,
            };
        }
        return parsed;
    }

    private static void Thread(JsonObject record, int line, ParsedImport parsed)
    {
        var articleId = Text(record, "articleId");
        if (ArticleIds.Problem(articleId) is { } problem)
        {
            parsed.AddInvalid(line, null, null, "articleId: " + problem);
            return;
        }
        parsed.Threads[articleId!] = new ImportedThread(articleId!, articleId!, ImportFields.Title(Text(record, "title")),
            ImportFields.Url(Text(record, "url")), record["closed"]?.GetValue<bool>() ?? false, line);
    }

    /// <summary>Adds the comment; returns its parent's id (resolved once the whole file is read).</summary>
    private static Guid? Comment(JsonObject record, int line, ParsedImport parsed, Dictionary<Guid, string> idToSource)
    {
        Guid? id = Text(record, "id") is { } idText ? Guid.TryParse(idText, out var g) ? g : throw new FormatException("id is not a UUID.") : null;
        var sourceId = Text(record, "sourceId") ?? (id is { } known ? SourcePrefix + known : null);
        if (sourceId is null || sourceId.Length > MaxSourceIdLength || TextRules.HasForbiddenCharacters(sourceId, false))
        {
            parsed.AddInvalid(line, null, null, $"A comment needs an id or a sourceId (at most {MaxSourceIdLength} characters).");
            return null;
        }
        var articleId = Text(record, "articleId");
        if (ArticleIds.Problem(articleId) is { } problem)
        {
            parsed.AddInvalid(line, null, sourceId, "articleId: " + problem);
            return null;
        }
        if (Time(record, "createdAt") is not { } createdAt)
        {
            parsed.AddInvalid(line, null, sourceId, "createdAt is missing or not an ISO 8601 time.");
            return null;
        }
        CommentStatus status;
        try
        {
            status = CommentStatusNames.FromWire(Text(record, "status") ?? "");
        }
        catch (ArgumentOutOfRangeException)
        {
            parsed.AddInvalid(line, null, sourceId, "status must be pending, approved, rejected, spam or deleted.");
            return null;
        }
        var body = ImportFields.Body(Text(record, "body") ?? "", status, parsed, line, sourceId);
        if (body is null)
        {
            parsed.AddInvalid(line, null, sourceId, "body is empty.");
            return null;
        }
        Guid? parentId = Text(record, "parentId") is { } parentText
            ? Guid.TryParse(parentText, out var p) ? p : throw new FormatException("parentId is not a UUID.")
            : null;
        if (!parsed.Threads.ContainsKey(articleId!))
        {
            parsed.Threads[articleId!] = new ImportedThread(articleId!, articleId!, null, null, false, line);
        }
        var authorKey = Text(record, "authorKey");
        parsed.Comments.Add(new ImportedComment
        {
            SourceId = sourceId,
            ThreadKey = articleId!,
            CreatedAt = createdAt,
            EditedAt = Time(record, "editedAt"),
            Status = status,
            AuthorName = ImportFields.AuthorName(Text(record, "authorName"), parsed, line, sourceId),
            AuthorUrl = ImportFields.Url(Text(record, "authorUrl")),
            AuthorKey = authorKey is not null && IsAuthorKey(authorKey) ? authorKey : null,
            AuthorVerified = record["authorVerified"]?.GetValue<bool>() ?? false,
            AuthorAvatarUrl = ImportFields.Url(Text(record, "authorAvatarUrl")),
            Body = body,
            Pinned = record["pinned"]?.GetValue<bool>() ?? false,
            Upvotes = Math.Max(0, record["upvotes"]?.GetValue<int>() ?? 0),
            Downvotes = Math.Max(0, record["downvotes"]?.GetValue<int>() ?? 0),
            Line = line,
        });
        if (id is { } commentId)
        {
            idToSource[commentId] = sourceId;
        }
        return parentId;
    }

    /// <summary>An identity hash as this service writes them: "e:", "n:" or "u:" and 64 hex digits.</summary>
    private static bool IsAuthorKey(string key) =>
        key.Length == 66 && key[0] is 'e' or 'n' or 'u' && key[1] == ':' && !key.AsSpan(2).ContainsAnyExcept("0123456789abcdef");

    private static string? Text(JsonObject record, string name) =>
        record[name] is { } node && node.GetValueKind() != JsonValueKind.Null ? node.GetValue<string>() : null;

    private static DateTimeOffset? Time(JsonObject record, string name) =>
        Text(record, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : null;
}
