using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using CommentService.Api.Data;
using CommentService.Api.Features.Imports.Readers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommentService.Api.Features.Exports;

/// <summary>
/// Writes a site's (or one article's) comments as JSON Lines, streamed row by row from one query: a
/// header line, then per thread (by article ID) a "thread" line followed by its comments in depth-first (path) order,
/// so every parent comes before its replies. Every status is exported (a moderator's view); deleted
/// comments have no body. Personal data stays in: no email (not even encrypted), no address hash;
/// the author is carried by <c>authorKey</c>, the keyed identity hash. The file imports back with
/// format=jsonl (README, "Import and export").
/// </summary>
public sealed class JsonLinesExport(CommentsDb db)
{
    public const string ContentType = "application/x-ndjson; charset=utf-8";
    private const int FlushBytes = 64 * 1024;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task WriteAsync(HttpResponse response, string siteId, string? articleId, DateTimeOffset now, CancellationToken ct)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{siteId}.jsonl\"";

        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        await using var json = new Utf8JsonWriter(buffer, Options);
        json.WriteStartObject();
        json.WriteString("type", "export");
        json.WriteNumber("version", 1);
        json.WriteString("siteId", siteId);
        if (articleId is not null)
        {
            json.WriteString("articleId", articleId);
        }
        json.WriteString("exportedAt", now);
        json.WriteEndObject();
        EndLine(json, buffer);

        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            SELECT t.id, t.article_id, t.title, t.url, t.closed, t.created_at,
                   c.id, c.parent_id, c.depth, c.status, c.author_name, c.author_url, c.author_verified, c.author_avatar_url,
                   c.author_key, c.body, c.created_at, c.edited_at, c.pinned, c.upvotes, c.downvotes, c.source_id
            FROM threads t LEFT JOIN comments c ON c.thread_id = t.id
            WHERE t.site_id = @site AND (@article::text IS NULL OR t.article_id = @article)
            ORDER BY t.article_id COLLATE "C", c.path
            """, (NpgsqlConnection)db.Database.GetDbConnection());
        cmd.Parameters.AddWithValue("site", siteId);
        cmd.Parameters.AddWithValue("article", (object?)articleId ?? DBNull.Value);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        long? thread = null;
        while (await reader.ReadAsync(ct))
        {
            var threadId = reader.GetInt64(0);
            var article = reader.GetString(1);
            if (threadId != thread)
            {
                thread = threadId;
                json.WriteStartObject();
                json.WriteString("type", "thread");
                json.WriteString("articleId", article);
                WriteNullable(json, "title", reader, 2);
                WriteNullable(json, "url", reader, 3);
                json.WriteBoolean("closed", reader.GetBoolean(4));
                json.WriteString("createdAt", reader.GetFieldValue<DateTimeOffset>(5));
                json.WriteEndObject();
                EndLine(json, buffer);
            }
            if (!reader.IsDBNull(6))
            {
                WriteComment(json, reader, article);
                EndLine(json, buffer);
            }
            if (buffer.WrittenCount >= FlushBytes)
            {
                await response.Body.WriteAsync(buffer.WrittenMemory, ct);
                buffer.ResetWrittenCount();
            }
        }
        await response.Body.WriteAsync(buffer.WrittenMemory, ct);
    }

    private static void WriteComment(Utf8JsonWriter json, NpgsqlDataReader reader, string articleId)
    {
        var id = reader.GetGuid(6);
        json.WriteStartObject();
        json.WriteString("type", "comment");
        json.WriteString("id", id);
        // Comments written here are known by their id; imported ones keep where they came from.
        json.WriteString("sourceId", reader.IsDBNull(21) ? JsonLinesReader.SourcePrefix + id : reader.GetString(21));
        json.WriteString("articleId", articleId);
        if (reader.IsDBNull(7))
        {
            json.WriteNull("parentId");
        }
        else
        {
            json.WriteString("parentId", reader.GetGuid(7));
        }
        json.WriteNumber("depth", reader.GetInt32(8));
        json.WriteString("status", reader.GetString(9));
        json.WriteString("authorName", reader.GetString(10));
        WriteNullable(json, "authorUrl", reader, 11);
        json.WriteBoolean("authorVerified", reader.GetBoolean(12));
        WriteNullable(json, "authorAvatarUrl", reader, 13);
        json.WriteString("authorKey", reader.GetString(14));
        json.WriteString("body", reader.GetString(15));
        json.WriteString("createdAt", reader.GetFieldValue<DateTimeOffset>(16));
        if (reader.IsDBNull(17))
        {
            json.WriteNull("editedAt");
        }
        else
        {
            json.WriteString("editedAt", reader.GetFieldValue<DateTimeOffset>(17));
        }
        json.WriteBoolean("pinned", reader.GetBoolean(18));
        json.WriteNumber("upvotes", reader.GetInt32(19));
        json.WriteNumber("downvotes", reader.GetInt32(20));
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, reader.GetString(ordinal));
        }
    }

    private static void EndLine(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer)
    {
        json.Flush();
        buffer.Write("\n"u8);
        json.Reset(buffer);
    }
}
