using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using NJsonSchema;

namespace CommentService.Api.Tests.Security.Fuzz;

/// <summary>One generated request, as bytes on the wire, with what it tried (for the report and for failures).</summary>
public sealed record HostileRequest(
    FuzzOperation Operation,
    string Caller,
    byte[] Target,
    IReadOnlyList<(string Name, byte[] Value)> Headers,
    byte[]? Body,
    string Kind)
{
    /// <summary>Whether the path (not the query) holds an encoded NUL, which Kestrel refuses itself.</summary>
    public bool PathHasNul => Encoding.ASCII.GetString(Target).Split('?')[0].Contains("%00", StringComparison.Ordinal);

    public string Describe()
    {
        var body = Body is null ? "(none)" : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 400)) + (Body.Length > 400 ? $"… ({Body.Length} bytes)" : "");
        var headers = string.Join("; ", Headers.Select(h => $"{h.Name}: {Encoding.Latin1.GetString(h.Value, 0, Math.Min(h.Value.Length, 80))}"));
        var target = Encoding.Latin1.GetString(Target);
        return $"{Operation.Method} {(target.Length > 300 ? target[..300] + "…" : target)} [{Kind}, caller {Caller}] headers: {headers} body: {body}";
    }
}

/// <summary>What the generator may fill in: real ids of the service's data, and the keys of each caller.</summary>
public sealed record FuzzWorld(
    string SiteId,
    string OtherSiteId,
    string ArticleId,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Ids,
    IReadOnlyDictionary<string, string?> Callers);

/// <summary>
/// Generates hostile requests from the OpenAPI operations with CsCheck's PCG generator from a fixed
/// seed, so every run sends the same sequence. Most requests are near-valid (the operation's own
/// example with fields changed, dropped, retyped or added) so they reach validation and the handlers;
/// the rest break the request itself: malformed or deeply nested JSON, invalid UTF-8, odd content
/// types and charsets, huge strings and arrays, hostile path segments, query values and headers.
/// </summary>
public sealed class HostileRequests(FuzzWorld world, ulong seed)
{
    private readonly PCG pcg = new(1u, seed);

    /// <summary>Strings that have broken services before: injection, control and format characters, lone surrogates, huge values.</summary>
    public static readonly IReadOnlyList<string> Nasty =
    [
        "", " ", "a", "0", "-1", "null", "true", "[]", "{}", "NaN", "1e309", "99999999999999999999999",
        "\0", "a\0b", "\u0001\u0002\u001f\u007f", "\t\n\r", "\r\nX-Injected: 1",
        "\u202Eevil\u202C.txt", "\u200B\u200D\uFEFF", "\uD800", "\uDC00", "a\uD83Db", "🙂🎬", "ｆｕｌｌｗｉｄｔｈ", "Ⅻ", "İı", "ß",
        "'; DROP TABLE comments; --", "' OR '1'='1", "1); SELECT pg_sleep(5); --", "$$; SELECT 1; $$", "\\", "\\\\x00", "%", "%00", "%2e%2e%2f",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "\"><svg onload=alert(1)>",
        "{{7*7}}", "${jndi:ldap://x.example/a}", "../../../../etc/passwd", "C:\\Windows\\win.ini", "/dev/zero",
        "https://example.com/a?b=c#d", "http://127.0.0.1:22/", "file:///etc/passwd", "mailto:a@b.example",
        "a@b.example", "admin", "moderate", "comments:read", "approve", "spam", "pending", "oldest", "term", "observe",
        new string('a', 81), new string('a', 255), new string('a', 513), new string('é', 2049), new string('x', 10_001),
        string.Concat(Enumerable.Repeat("🙂", 600)), string.Concat(Enumerable.Repeat("\u0301", 5000)),
    ];

    private int Int(int min, int max) => Gen.Int[min, max].Generate(pcg, null, out _);

    private bool Chance(double p) => Gen.Double.Unit.Generate(pcg, null, out _) < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[Int(0, items.Count - 1)];

    private string RandomText() => Chance(0.5)
        ? Pick(Nasty)
        : Gen.String[Gen.Char, 0, Int(0, 1) == 0 ? 20 : 300].Generate(pcg, null, out _);

    public HostileRequest Next(IReadOnlyList<FuzzOperation> operations)
    {
        var op = Pick(operations);
        // Mostly callers who may use the route, so requests get past authorization to validation and the handlers.
        var caller = Chance(0.35) ? Pick(["operator", "admin"]) : Pick(world.Callers.Keys.Order(StringComparer.Ordinal).ToList());
        var headers = new List<(string, byte[])>();
        if (world.Callers[caller] is { } key)
        {
            headers.Add(("Authorization", Encoding.ASCII.GetBytes(key)));
        }

        var kind = "valid-shape";
        var target = new StringBuilder("/");
        foreach (var segment in op.PathTemplate.TrimStart('/').Split('/'))
        {
            if (target.Length > 1)
            {
                target.Append('/');
            }
            if (segment.StartsWith('{'))
            {
                var (value, hostile) = PathValue(segment.Trim('{', '}'));
                if (hostile)
                {
                    kind = "hostile-path";
                }
                target.Append(value);
            }
            else
            {
                target.Append(segment);
            }
        }
        target.Append(Query(op, ref kind));

        foreach (var header in op.Headers.Where(_ => Chance(0.25)))
        {
            headers.Add((header, HeaderValue()));
        }
        if (Chance(0.05))
        {
            kind = "hostile-header";
            headers.Add((Pick(["X-Edit-Token", "X-User-Token", "X-Reader-Token", "Idempotency-Key", "Origin", "X-Forwarded-For", "Accept", "If-Match"]), HeaderValue()));
        }

        byte[]? body = null;
        var write = op.Method is "POST" or "PUT" or "PATCH";
        if (write || Chance(0.05))
        {
            (body, var contentType, var bodyKind) = Body(op);
            if (contentType is not null)
            {
                headers.Add(("Content-Type", Encoding.Latin1.GetBytes(contentType)));
            }
            if (bodyKind != "valid-shape")
            {
                kind = bodyKind;
            }
        }
        return new HostileRequest(op, caller, Encoding.ASCII.GetBytes(target.ToString()), headers, body, kind);
    }

    /// <summary>A path segment: a real id of the right kind most of the time, else something hostile, percent-encoded as a client must.</summary>
    private (string Value, bool Hostile) PathValue(string name)
    {
        if (Chance(0.85))
        {
            var real = name switch
            {
                "siteId" => Chance(0.85) ? world.SiteId : world.OtherSiteId,
                "articleId" => world.ArticleId,
                _ => world.Ids.TryGetValue(name, out var ids) && ids.Count > 0 ? Pick(ids) : Guid.NewGuid().ToString(),
            };
            return (Escape(real), false);
        }
        return (Chance(0.2) ? Guid.NewGuid().ToString() : Escape(Chance(0.1) ? new string('a', Int(500, 3000)) : RandomText()), true);
    }

    private string Query(FuzzOperation op, ref string kind)
    {
        var parts = new List<string>();
        foreach (var p in op.Query.Where(_ => Chance(0.5)))
        {
            var count = p.IsArray ? Int(1, Chance(0.1) ? 150 : 3) : Chance(0.05) ? 2 : 1;
            for (var i = 0; i < count; i++)
            {
                parts.Add(p.Name + "=" + Escape(ScalarText(p.Name, p.Type)));
            }
        }
        if (Chance(0.1))
        {
            kind = "hostile-query";
            parts.Add(Escape(RandomText()) + "=" + Escape(RandomText()));
        }
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>A value as text for a query parameter: usually of its type (or a known good value), sometimes anything.</summary>
    private string ScalarText(string name, JsonObjectType type)
    {
        if (Chance(0.3))
        {
            return RandomText();
        }
        if (Known.TryGetValue(name, out var values) && Chance(0.7))
        {
            return Pick(values);
        }
        return type switch
        {
            JsonObjectType.Integer => Pick(["0", "1", "20", "100", "101", "-1", "2147483648", "1.5"]),
            JsonObjectType.Number => Pick(["0", "0.5", "-1", "1e308"]),
            JsonObjectType.Boolean => Pick(["true", "false", "yes"]),
            _ => Pick(["2026-11-27T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01", Guid.NewGuid().ToString(), "abc"]),
        };
    }

    /// <summary>Values the service knows, so generated requests get past the first check.</summary>
    private static readonly Dictionary<string, string[]> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sort"] = ["oldest", "newest", "top"],
        ["status"] = ["pending", "approved", "rejected", "spam", "deleted", "delivered", "failed", "any"],
        ["appeal"] = ["open", "upheld", "overturned", "any", "none"],
        ["action"] = ["approve", "reject", "spam"],
        ["scopes"] = ["comments:read", "comments:write", "moderate", "admin"],
        ["events"] = ["comment.created", "comment.held", "comment.approved"],
        ["kind"] = ["term", "threshold", "classifier", "phase"],
        ["reason"] = ["spam", "abuse", "offtopic", "other"],
        ["preModeration"] = ["none", "all", "newAuthors", "links"],
        ["setting"] = ["spamThreshold", "crudeHoldThreshold", "maxLinks"],
        ["classifier"] = ["akismet", "webhook"],
        ["phase"] = ["spam.shouting", "crude-language"],
        ["articleId"] = ["fuzz-article", "another/article?x#y"],
        ["authorEmail"] = ["reader@mail.example"],
        ["url"] = ["https://hooks.example/in", "https://films.example/her"],
    };

    private byte[] HeaderValue() => Int(0, 9) switch
    {
        0 => [0xC3, 0xA9, 0xFF, 0xFE],                          // not ASCII, not valid UTF-8
        1 => Encoding.UTF8.GetBytes("é🙂 value"),
        2 => Encoding.ASCII.GetBytes(new string('k', Int(100, 4000))),
        3 => Encoding.ASCII.GetBytes("a.b.c"),
        4 => Encoding.ASCII.GetBytes("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."),   // alg none
        _ => Encoding.ASCII.GetBytes(new string([.. Pick(Nasty).Where(c => c is >= ' ' and < '\u007f')])),
    };

    private (byte[]? Body, string? ContentType, string Kind) Body(FuzzOperation op)
    {
        const string Json = "application/json";
        var roll = Int(0, 99);
        return roll switch
        {
            < 55 => (Utf8(ShapedBody(op).ToJsonString()), Json, "valid-shape"),
            < 62 => (Utf8(AnyJson(0)?.ToJsonString() ?? "null"), Json, "wrong-json"),
            < 70 => (Utf8(Malformed(op)), Json, "malformed-json"),
            < 74 => (Utf8(Deep(Int(65, 20_000))), Json, "deep-nesting"),
            < 79 => (Huge(op), Json, "huge"),
            < 84 => (InvalidUtf8(op), Json, "invalid-utf8"),
            < 88 => (Encoding.Unicode.GetBytes(ShapedBody(op).ToJsonString()), Pick(["application/json; charset=utf-16", Json]), "utf16"),
            < 92 => (Chance(0.5) ? [] : null, Chance(0.5) ? Json : null, "empty"),
            _ => OddContentType(op),
        };
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The operation's example (or an object of its properties) with fields changed, retyped, dropped or added.</summary>
    private JsonObject ShapedBody(FuzzOperation op)
    {
        var body = op.BodyExample?.DeepClone().AsObject() ?? [];
        foreach (var (name, schema) in op.BodyProperties ?? new Dictionary<string, JsonSchema>())
        {
            var roll = Int(0, 9);
            if (roll < 3 && body.ContainsKey(name))
            {
                continue;                                     // keep the example's good value
            }
            if (roll < 5)
            {
                body.Remove(name);                            // missing
                continue;
            }
            body[name] = roll < 8 ? TypedValue(name, schema) : AnyJson(0);   // of its type, or of any type
        }
        if (Chance(0.3))
        {
            body[Chance(0.5) ? RandomText() : "unexpected"] = AnyJson(0);    // extra field
        }
        return body;
    }

    private JsonNode? TypedValue(string name, JsonSchema schema)
    {
        var type = schema.Type;
        if (type.HasFlag(JsonObjectType.Array))
        {
            var count = Chance(0.1) ? Int(100, 2000) : Int(0, 4);
            var item = schema.Item?.ActualSchema ?? new JsonSchema { Type = JsonObjectType.String };
            return new JsonArray([.. Enumerable.Range(0, count).Select(_ => TypedValue(name, item))]);
        }
        if (type.HasFlag(JsonObjectType.Integer))
        {
            return Pick<JsonNode?>([0, 1, -1, 3, 20, 101, int.MaxValue, long.MaxValue, null]);
        }
        if (type.HasFlag(JsonObjectType.Number))
        {
            return Pick<JsonNode?>([0.0, 0.5, 1.0, -0.1, 1.5, 1e308, null]);
        }
        if (type.HasFlag(JsonObjectType.Boolean))
        {
            return Pick<JsonNode?>([true, false, null]);
        }
        if (type.HasFlag(JsonObjectType.Object))
        {
            var obj = new JsonObject();
            foreach (var (prop, propSchema) in schema.ActualProperties)
            {
                if (Chance(0.7))
                {
                    obj[prop] = TypedValue(prop, propSchema.ActualTypeSchema);
                }
            }
            return obj;
        }
        if (Known.TryGetValue(name, out var values) && Chance(0.6))
        {
            return Pick(values);
        }
        return Chance(0.1) ? null : RandomText();
    }

    private JsonNode? AnyJson(int depth) => Int(0, depth > 3 ? 5 : 8) switch
    {
        0 => null,
        1 => Chance(0.5),
        2 => Pick<JsonNode>([0, -1, int.MinValue, long.MaxValue, 1e308, -0.0, 0.1]),
        3 or 4 or 5 => RandomText(),
        6 => new JsonArray([.. Enumerable.Range(0, Int(0, 4)).Select(_ => AnyJson(depth + 1))]),
        _ => new JsonObject(Enumerable.Range(0, Int(0, 4)).Select(i => KeyValuePair.Create("k" + i.ToString(CultureInfo.InvariantCulture) + RandomText(), AnyJson(depth + 1)))
            .DistinctBy(p => p.Key)),
    };

    private string Malformed(FuzzOperation op)
    {
        var valid = ShapedBody(op).ToJsonString();
        return Int(0, 7) switch
        {
            0 => valid[..Int(0, Math.Max(0, valid.Length - 1))],                       // cut short
            1 => valid + "}",
            2 => valid.Replace("\"", "'", StringComparison.Ordinal),
            3 => valid.Replace(":", "", StringComparison.Ordinal),
            4 => "{\"a\":1,}",
            5 => valid + valid,
            6 => "\u0000\u0001" + valid,
            _ => Pick(["{", "[", "\"", "nul", "tru", "{\"a\":}", "{a:1}", "// c\n{}", "NaN", "{\"a\":1e99999}", "\uFEFF{}", "{\"\\uD800\":\"\\uDFFF\\u0000\"}"]),
        };
    }

    private string Deep(int depth) => Chance(0.5)
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private byte[] Huge(FuzzOperation op)
    {
        var body = ShapedBody(op);
        var field = op.BodyProperties?.Keys.FirstOrDefault() ?? "body";
        body[field] = Int(0, 2) switch
        {
            0 => new string('a', Int(10_000, 200_000)),
            1 => new JsonArray([.. Enumerable.Range(0, Int(1_000, 30_000)).Select(i => (JsonNode)i)]),
            _ => new JsonArray([.. Enumerable.Range(0, Int(1_000, 5_000)).Select(_ => (JsonNode)"comments:read")]),
        };
        return Utf8(body.ToJsonString());
    }

    /// <summary>A JSON body whose string values hold bytes that are not UTF-8: lone continuation bytes, overlong forms, encoded surrogates.</summary>
    private byte[] InvalidUtf8(FuzzOperation op)
    {
        var text = ShapedBody(op).ToJsonString();
        var at = text.IndexOf(":\"", StringComparison.Ordinal);
        var bad = Pick<byte[]>([[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]]);
        if (at < 0)
        {
            return [.. "{\"body\":\""u8.ToArray(), .. bad, .. "\"}"u8.ToArray()];
        }
        var bytes = Utf8(text);
        var split = Encoding.UTF8.GetByteCount(text[..(at + 2)]);
        return [.. bytes[..split], .. bad, .. bytes[split..]];
    }

    private (byte[]? Body, string? ContentType, string Kind) OddContentType(FuzzOperation op)
    {
        var json = Utf8(ShapedBody(op).ToJsonString());
        return Int(0, 8) switch
        {
            0 => (json, "text/plain", "content-type"),
            1 => ("<comment><body>x</body></comment>"u8.ToArray(), "application/xml", "content-type"),
            2 => ("--x\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nhi\r\n--x--\r\n"u8.ToArray(), "multipart/form-data; boundary=x", "content-type"),
            3 => ("body=hi&authorName=x"u8.ToArray(), "application/x-www-form-urlencoded", "content-type"),
            4 => (Encoding.Latin1.GetBytes(ShapedBody(op).ToJsonString()), "application/json; charset=iso-8859-1", "content-type"),
            5 => (json, "application/JSON", "content-type"),
            6 => (json, "application/json-patch+json", "content-type"),
            7 => (json, "%%%; ;;=", "content-type"),
            _ => (json, null, "content-type"),
        };
    }

    /// <summary>Percent-encodes a string as one path segment or query value, the way a client must (UTF-8; a lone surrogate as its WTF-8 bytes).</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Wtf8(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    /// <summary>UTF-8, except that a lone surrogate becomes its three-byte form (invalid UTF-8, as hostile clients send it).</summary>
    private static byte[] Wtf8(string value)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value.Substring(i, 2)));
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                bytes.AddRange([(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))]);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return [.. bytes];
    }
}
