using System.Xml;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;

namespace CommentService.Api.Features.Imports.Readers;

/// <summary>
/// Reads a Disqus XML export: <c>&lt;thread dsq:id&gt;</c> elements (id, link, title, isClosed) and
/// <c>&lt;post dsq:id&gt;</c> elements (message, createdAt, isDeleted, isSpam, author, ipAddress,
/// thread and parent references). The README's "Import and export" section has the field mapping.
/// </summary>
public static class DisqusReader
{
    public const string InternalsNamespace = "http://disqus.com/disqus-internals";

    public static async Task<ParsedImport> ReadAsync(Stream body, string articleIdFrom, CancellationToken ct)
    {
        var parsed = new ParsedImport();
        var html = new HtmlToText();
        using var reader = await XmlItems.OpenAsync(body, ct);
        try
        {
            await XmlItems.ExpectRootAsync(reader, "disqus", "a Disqus export");
            await reader.ReadAsync();
            while (!reader.EOF)
            {
                ct.ThrowIfCancellationRequested();
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1)
                {
                    switch (reader.LocalName)
                    {
                        case "thread":
                            Thread(await XmlItems.ReadAsync(reader, r => r.LocalName == "author", InternalsNamespace), articleIdFrom, parsed);
                            continue;
                        case "post":
                            Post(await XmlItems.ReadAsync(reader, r => r.LocalName == "author", InternalsNamespace), parsed, html);
                            continue;
                        default:
                            await reader.SkipAsync();
                            continue;
                    }
                }
                await reader.ReadAsync();
            }
        }
        catch (XmlException ex)
        {
            parsed.Fatal = XmlItems.Malformed(ex);
        }
        parsed.DropCommentsWithoutThread();
        return parsed;
    }

    private static void Thread(XmlItem item, string articleIdFrom, ParsedImport parsed)
    {
        if (string.IsNullOrWhiteSpace(item.Id))
        {
            parsed.AddInvalid(item.Line, item.Column, null, "A <thread> has no dsq:id attribute.");
            return;
        }
        var link = item.Field("link").Trim();
        var articleId = articleIdFrom switch
        {
            "identifier" when item.Field("id").Trim() is { Length: > 0 } identifier => identifier,
            "path" => Uri.TryCreate(link, UriKind.Absolute, out var uri) ? uri.AbsolutePath : link,
            _ => link,
        };
        if (ArticleIds.Problem(articleId) is { } problem)
        {
            parsed.AddInvalid(item.Line, item.Column, "disqus-thread:" + item.Id, $"Thread {item.Id}: {problem}");
            return;
        }
        parsed.Threads[item.Id] = new ImportedThread(item.Id, articleId, ImportFields.Title(item.Field("title")), ImportFields.Url(link),
            item.Flag("isClosed"), item.Line);
    }

    private static void Post(XmlItem item, ParsedImport parsed, HtmlToText html)
    {
        if (string.IsNullOrWhiteSpace(item.Id))
        {
            parsed.AddInvalid(item.Line, item.Column, null, "A <post> has no dsq:id attribute.");
            return;
        }
        var sourceId = "disqus:" + item.Id.Trim();
        if (!item.Ids.TryGetValue("thread", out var threadKey) || string.IsNullOrWhiteSpace(threadKey))
        {
            parsed.AddInvalid(item.Line, item.Column, sourceId, $"Post {item.Id} names no <thread dsq:id>.");
            return;
        }
        if (XmlItems.Time(item.Field("createdAt")) is not { } createdAt)
        {
            parsed.AddInvalid(item.Line, item.Column, sourceId, $"Post {item.Id} has no valid <createdAt> (ISO 8601 expected).");
            return;
        }
        // Disqus exports carry no pending flag; isApproved appears in some exports and is honoured when it does.
        var status = item.Flag("isSpam") ? CommentStatus.Spam
            : item.Flag("isDeleted") ? CommentStatus.Deleted
            : item.Text.ContainsKey("isApproved") && !item.Flag("isApproved") ? CommentStatus.Pending
            : CommentStatus.Approved;
        var body = ImportFields.Body(html.Convert(item.Field("message")), status, parsed, item.Line, sourceId);
        if (body is null)
        {
            parsed.AddInvalid(item.Line, item.Column, sourceId, $"Post {item.Id} has an empty <message>.");
            return;
        }
        var author = item.Child("author");
        var name = author?.Field("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            name = author?.Field("username");
        }
        parsed.Comments.Add(new ImportedComment
        {
            SourceId = sourceId,
            ThreadKey = threadKey.Trim(),
            ParentSourceId = item.Ids.TryGetValue("parent", out var parent) && !string.IsNullOrWhiteSpace(parent) ? "disqus:" + parent.Trim() : null,
            CreatedAt = createdAt,
            Status = status,
            AuthorName = ImportFields.AuthorName(name, parsed, item.Line, sourceId),
            AuthorEmail = ImportFields.Email(author?.Field("email")),
            AuthorUrl = ImportFields.Url(author?.Field("link")),
            Address = ImportFields.Address(item.Field("ipAddress")),
            Body = body,
            Line = item.Line,
        });
    }
}
