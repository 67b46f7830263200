using System.Text.Json;

namespace CommentService.Api.Features.Comments.ListThread;

/// <summary>
/// Writes a thread page straight into the response's pipe with a <see cref="Utf8JsonWriter"/>: the busiest route's
/// only large answer (up to 100 comments, each text twice as body and bodyHtml) skips the serializer's reflection
/// and its intermediate stream buffer. The output is what the serializer would write for <see cref="ThreadPage"/>
/// with the service's options (camelCase names in declaration order, nulls written, the default encoder):
/// ThreadPageJsonTests compares the two byte for byte.
/// </summary>
public static class PageJson
{
    /// <summary>Bytes written before the pipe is flushed to the socket, so a large page does not sit whole in memory.</summary>
    private const int FlushEvery = 16 * 1024;

    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    public static async Task WriteAsync(HttpResponse response, ThreadPage page, CancellationToken ct)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(response.BodyWriter, Options);
        Head(json, page);
        foreach (var item in page.Items)
        {
            Write(json, item);
            if (json.BytesPending >= FlushEvery)
            {
                json.Flush();
                await response.BodyWriter.FlushAsync(ct);
            }
        }
        Tail(json, page);
        json.Flush();
        await response.BodyWriter.FlushAsync(ct);
    }

    /// <summary>The same bytes into a buffer (for the test that holds them equal to the serializer's).</summary>
    public static byte[] ToBytes(ThreadPage page)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            Head(json, page);
            foreach (var item in page.Items)
            {
                Write(json, item);
            }
            Tail(json, page);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void Head(Utf8JsonWriter json, ThreadPage page)
    {
        json.WriteStartObject();
        json.WriteString("articleId", page.ArticleId);
        json.WriteString("title", page.Title);
        json.WriteBoolean("closed", page.Closed);
        json.WriteNumber("totalCount", page.TotalCount);
        json.WriteStartArray("items");
    }

    private static void Tail(Utf8JsonWriter json, ThreadPage page)
    {
        json.WriteEndArray();
        json.WriteString("nextCursor", page.NextCursor);
        json.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter json, ThreadComment c)
    {
        json.WriteStartObject();
        json.WriteString("id", c.Id);
        if (c.ParentId is { } parentId)
        {
            json.WriteString("parentId", parentId);
        }
        else
        {
            json.WriteNull("parentId");
        }
        json.WriteNumber("depth", c.Depth);
        json.WriteString("status", c.Status);
        json.WriteBoolean("tombstone", c.Tombstone);
        json.WriteBoolean("pinned", c.Pinned);
        json.WriteString("authorName", c.AuthorName);
        json.WriteString("authorUrl", c.AuthorUrl);
        json.WriteBoolean("authorVerified", c.AuthorVerified);
        json.WriteString("authorAvatarUrl", c.AuthorAvatarUrl);
        json.WriteString("body", c.Body);
        json.WriteString("bodyHtml", c.BodyHtml);
        json.WriteString("createdAt", c.CreatedAt);
        if (c.EditedAt is { } editedAt)
        {
            json.WriteString("editedAt", editedAt);
        }
        else
        {
            json.WriteNull("editedAt");
        }
        json.WriteNumber("upvotes", c.Upvotes);
        json.WriteNumber("downvotes", c.Downvotes);
        json.WriteNumber("score", c.Score);
        json.WriteNumber("replyCount", c.ReplyCount);
        json.WriteStartArray("replies");
        foreach (var reply in c.Replies)
        {
            Write(json, reply);
        }
        json.WriteEndArray();
        json.WriteString("repliesCursor", c.RepliesCursor);
        json.WriteEndObject();
    }
}
