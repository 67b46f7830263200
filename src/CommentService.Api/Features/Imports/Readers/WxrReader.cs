using System.Xml;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;

namespace CommentService.Api.Features.Imports.Readers;

/// <summary>
/// Reads a WordPress eXtended RSS (WXR) export: every <c>&lt;item&gt;</c> (post or page) with its
/// <c>&lt;wp:comment&gt;</c> elements. Pingbacks, trackbacks and other non-comment types are left out and
/// counted. The README's "Import and export" section has the field mapping.
/// </summary>
public static class WxrReader
{
    private const string WordPressNamespacePrefix = "http://wordpress.org/export/";

    public static async Task<ParsedImport> ReadAsync(Stream body, string articleIdFrom, CancellationToken ct)
    {
        var parsed = new ParsedImport();
        var html = new HtmlToText();
        using var reader = await XmlItems.OpenAsync(body, ct);
        try
        {
            await XmlItems.ExpectRootAsync(reader, "rss", "a WordPress (WXR) export");
            await reader.ReadAsync();
            while (!reader.EOF)
            {
                ct.ThrowIfCancellationRequested();
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 2 && reader.LocalName == "item")
                {
                    Item(await XmlItems.ReadAsync(reader, IsContainer, null), articleIdFrom, parsed, html);
                    continue;
                }
                await reader.ReadAsync();
            }
        }
        catch (XmlException ex)
        {
            parsed.Fatal = XmlItems.Malformed(ex);
        }
        return parsed;
    }

    private static bool IsContainer(XmlReader reader) =>
        reader.LocalName is "comment" or "commentmeta" or "postmeta"
        && reader.NamespaceURI.StartsWith(WordPressNamespacePrefix, StringComparison.Ordinal);

    private static void Item(XmlItem item, string articleIdFrom, ParsedImport parsed, HtmlToText html)
    {
        var comments = item.Children.Where(c => c.Name == "comment").ToList();
        if (comments.Count == 0)
        {
            return;
        }
        var postId = item.Field("post_id").Trim();
        if (postId.Length == 0)
        {
            parsed.AddInvalid(item.Line, item.Column, null, "An <item> with comments has no <wp:post_id>.");
            return;
        }
        var link = item.Field("link").Trim();
        var articleId = articleIdFrom switch
        {
            "postId" => postId,
            "slug" => item.Field("post_name").Trim() is { Length: > 0 } slug ? slug : postId,
            "path" => Uri.TryCreate(link, UriKind.Absolute, out var uri) ? uri.AbsolutePath : link,
            _ => link,
        };
        if (ArticleIds.Problem(articleId) is { } problem)
        {
            parsed.AddInvalid(item.Line, item.Column, "wxr-post:" + postId, $"Post {postId}: {problem}");
            return;
        }
        if (parsed.Threads.ContainsKey(postId))
        {
            parsed.AddInvalid(item.Line, item.Column, "wxr-post:" + postId, $"Post {postId} appears twice in the file.");
            return;
        }
        parsed.Threads[postId] = new ImportedThread(postId, articleId, ImportFields.Title(item.Field("title")), ImportFields.Url(link),
            item.Field("comment_status").Trim() == "closed", item.Line);
        foreach (var comment in comments)
        {
            Comment(comment, postId, parsed, html);
        }
    }

    private static void Comment(XmlItem item, string postId, ParsedImport parsed, HtmlToText html)
    {
        var id = item.Field("comment_id").Trim();
        if (id.Length == 0)
        {
            parsed.AddInvalid(item.Line, item.Column, null, $"A comment of post {postId} has no <wp:comment_id>.");
            return;
        }
        var sourceId = "wxr:" + id;
        var type = item.Field("comment_type").Trim();
        if (type is not ("" or "comment" or "review"))
        {
            parsed.Ignored++;
            parsed.AddNote("ignored", item.Line, sourceId, $"Comment {id} is a {type}, which is not imported.");
            return;
        }
        // comment_date_gmt is UTC; old exports may hold zeros there, then the local comment_date is the best there is.
        if ((XmlItems.Time(item.Field("comment_date_gmt")) ?? XmlItems.Time(item.Field("comment_date"))) is not { } createdAt)
        {
            parsed.AddInvalid(item.Line, item.Column, sourceId, $"Comment {id} has no valid <wp:comment_date_gmt>.");
            return;
        }
        var status = item.Field("comment_approved").Trim() switch
        {
            "1" or "approve" => CommentStatus.Approved,
            "spam" => CommentStatus.Spam,
            "trash" or "post-trashed" => CommentStatus.Deleted,
            _ => CommentStatus.Pending,
        };
        var body = ImportFields.Body(html.Convert(item.Field("comment_content")), status, parsed, item.Line, sourceId);
        if (body is null)
        {
            parsed.AddInvalid(item.Line, item.Column, sourceId, $"Comment {id} has empty <wp:comment_content>.");
            return;
        }
        var parent = item.Field("comment_parent").Trim();
        var userId = item.Field("comment_user_id").Trim();
        parsed.Comments.Add(new ImportedComment
        {
            SourceId = sourceId,
            ThreadKey = postId,
            ParentSourceId = parent is "" or "0" ? null : "wxr:" + parent,
            CreatedAt = createdAt,
            Status = status,
            AuthorName = ImportFields.AuthorName(item.Field("comment_author"), parsed, item.Line, sourceId),
            AuthorEmail = ImportFields.Email(item.Field("comment_author_email")),
            AuthorUrl = ImportFields.Url(item.Field("comment_author_url")),
            // A registered WordPress user keeps one identity: the same as an X-User-Token whose sub is their user id.
            SiteUserId = userId is "" or "0" ? null : userId,
            Address = ImportFields.Address(item.Field("comment_author_IP")),
            Body = body,
            Line = item.Line,
        });
    }
}
