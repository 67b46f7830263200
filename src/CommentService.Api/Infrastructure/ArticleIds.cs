using System.Text;
using CommentService.Api.Domain;
using Microsoft.AspNetCore.Http.Features;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Article IDs are opaque strings chosen by sites (slugs, numbers, whole URLs) sent percent-encoded
/// as one path segment. Kestrel decodes route values except <c>%2F</c>, which would make "a/b" and
/// "a%2Fb" collide; so the ID is read from the raw request target and decoded exactly once, strictly
/// (invalid UTF-8 is refused rather than guessed at).
/// </summary>
public static class ArticleIds
{
    public const string Field = "articleId";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The decoded article ID of a <c>/v1/sites/{siteId}/articles/{articleId}/...</c> route.</summary>
    public static string FromRoute(HttpContext ctx)
    {
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.Value ?? "";
        var query = raw.IndexOf('?');
        if (query >= 0)
        {
            raw = raw[..query];
        }
        var segments = raw.Split('/');
        var at = ArticleSegment(segments);
        if (at < 0)
        {
            throw ApiProblemException.Field(Field, "The article ID is missing from the path.");
        }
        var id = Decode(segments[at]);
        var problem = Problem(id);
        if (problem is not null)
        {
            throw ApiProblemException.Field(Field, problem);
        }
        return id;
    }

    /// <summary>
    /// The index of the segment after <c>sites/{siteId}/articles/</c> (or <c>sites/{siteId}/moderation/articles/</c>),
    /// or -1. Matched by the literals on both sides of the site's segment, since a site's slug may itself
    /// be "articles" or "sites".
    /// </summary>
    private static int ArticleSegment(string[] segments)
    {
        for (var i = 0; i + 3 < segments.Length; i++)
        {
            if (segments[i] != "sites")
            {
                continue;
            }
            if (segments[i + 2] == "articles")
            {
                return i + 3;
            }
            if (segments[i + 2] == "moderation" && i + 4 < segments.Length && segments[i + 3] == "articles")
            {
                return i + 4;
            }
        }
        return -1;
    }

    /// <summary>Why <paramref name="id"/> is not an acceptable article ID, or null when it is.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "The article ID must not be empty.";
        }
        if (id.Length > Limits.ArticleIdLength)
        {
            return $"The article ID is longer than {Limits.ArticleIdLength} characters.";
        }
        return TextRules.HasForbiddenCharacters(id, allowNewlines: false)
            ? "The article ID contains control characters or invalid Unicode."
            : null;
    }

    /// <summary>Percent-decodes once; invalid escapes or invalid UTF-8 are refused.</summary>
    public static string Decode(string segment)
    {
        if (!segment.Contains('%'))
        {
            return segment;
        }
        var bytes = new List<byte>(segment.Length);
        try
        {
            for (var i = 0; i < segment.Length; i++)
            {
                if (segment[i] == '%')
                {
                    if (i + 2 >= segment.Length || !IsHex(segment[i + 1]) || !IsHex(segment[i + 2]))
                    {
                        throw ApiProblemException.Field(Field, "The article ID has an invalid percent-escape.");
                    }
                    bytes.Add(Convert.ToByte(segment.Substring(i + 1, 2), 16));
                    i += 2;
                }
                else
                {
                    // Unescaped text up to the next escape, encoded whole: char by char would split surrogate pairs.
                    var end = segment.IndexOf('%', i);
                    end = end < 0 ? segment.Length : end;
                    bytes.AddRange(StrictUtf8.GetBytes(segment[i..end]));
                    i = end - 1;
                }
            }
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (Exception ex) when (ex is DecoderFallbackException or EncoderFallbackException)
        {
            throw ApiProblemException.Field(Field, "The article ID is not valid UTF-8 once decoded.");
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
