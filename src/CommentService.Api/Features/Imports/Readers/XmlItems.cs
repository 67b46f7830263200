using System.Globalization;
using System.Text;
using System.Xml;
using CommentService.Api.Data;

namespace CommentService.Api.Features.Imports.Readers;

/// <summary>An element of an export file read whole: its text fields by local name, id attributes, nested items, and where it starts.</summary>
public sealed class XmlItem(string name, int line, int column, string? id)
{
    public string Name { get; } = name;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string? Id { get; } = id;
    public Dictionary<string, string> Text { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);
    public List<XmlItem> Children { get; } = [];

    public string Field(string name) => Text.TryGetValue(name, out var value) ? value : "";

    public bool Flag(string name) => Field(name).Trim().Equals("true", StringComparison.OrdinalIgnoreCase) || Field(name).Trim() == "1";

    public XmlItem? Child(string name) => Children.FirstOrDefault(c => c.Name == name);
}

/// <summary>Safe, streaming XML reading for export files.</summary>
public static class XmlItems
{
    /// <summary>
    /// No DTDs (so no entity expansion and no external entities: XXE-safe), no resolver, async over the
    /// request body. The file's size is bounded by the route's body limit.
    /// </summary>
    public static async Task<XmlReader> OpenAsync(Stream body, CancellationToken ct)
    {
        // XmlReader's refusal of a DTD carries no position; the prolog is read here first to name the line.
        var head = new byte[PrologBytes];
        var length = 0;
        int read;
        while (length < head.Length && (read = await body.ReadAsync(head.AsMemory(length), ct)) > 0)
        {
            length += read;
        }
        var doctype = head.AsSpan(0, length).IndexOf("<!DOCTYPE"u8);
        if (doctype >= 0)
        {
            var before = head.AsSpan(0, doctype);
            var line = before.Count((byte)'\n') + 1;
            var column = doctype - (before.LastIndexOf((byte)'\n') + 1) + 1;
            throw ImportProblems.Unreadable(line, column,
                "The file declares a DTD (<!DOCTYPE>): DTDs and their entities are refused, so no file or URL they name is ever read.");
        }
        return Create(new PrefixedStream(head.AsMemory(0, length), body));
    }

    private const int PrologBytes = 16 * 1024;

    private static XmlReader Create(Stream body) => XmlReader.Create(body, new XmlReaderSettings
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    });

    /// <summary>A malformed-XML issue at the exception's position (line 1 when the parser names none, as for a missing root).</summary>
    public static ImportIssue Malformed(XmlException ex) =>
        new("invalid", Math.Max(1, ex.LineNumber), Math.Max(1, ex.LinePosition), null, "The XML is malformed: " + ex.Message);

    public static (int Line, int Column) Position(XmlReader reader) =>
        reader is IXmlLineInfo info && info.HasLineInfo() ? (info.LineNumber, info.LinePosition) : (0, 0);

    /// <summary>Moves to the root element and checks its name; a problem naming line 1 when it is another kind of file.</summary>
    public static async Task ExpectRootAsync(XmlReader reader, string root, string what)
    {
        await reader.MoveToContentAsync();
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != root)
        {
            var (line, column) = Position(reader);
            throw ImportProblems.Unreadable(line, column,
                $"This is not {what}: its root element is <{reader.Name}>, not <{root}>. Check the format parameter.");
        }
    }

    /// <summary>
    /// Reads the element the reader is on, and everything inside it. Elements for which
    /// <paramref name="isContainer"/> holds become nested items; any other element becomes a text field
    /// (all its text and CDATA, whatever markup is inside). Leaves the reader after the element's end.
    /// </summary>
    public static async Task<XmlItem> ReadAsync(XmlReader reader, Func<XmlReader, bool> isContainer, string? idNamespace)
    {
        var (line, column) = Position(reader);
        var item = new XmlItem(reader.LocalName, line, column, IdOf(reader, idNamespace));
        if (reader.IsEmptyElement)
        {
            await reader.ReadAsync();
            return item;
        }
        var depth = reader.Depth;
        await reader.ReadAsync();
        while (!(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                if (isContainer(reader))
                {
                    item.Children.Add(await ReadAsync(reader, isContainer, idNamespace));
                    continue;
                }
                var name = reader.LocalName;
                if (IdOf(reader, idNamespace) is { } id)
                {
                    item.Ids[name] = id;
                }
                item.Text[name] = await TextAsync(reader);
                continue;
            }
            if (!await reader.ReadAsync())
            {
                throw new XmlException($"The file ends inside <{item.Name}>.", null, line, column);
            }
        }
        await reader.ReadAsync();
        return item;
    }

    private static string? IdOf(XmlReader reader, string? idNamespace) =>
        idNamespace is null ? null : reader.GetAttribute("id", idNamespace);

    private static async Task<string> TextAsync(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            await reader.ReadAsync();
            return "";
        }
        var depth = reader.Depth;
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.EndElement when reader.Depth == depth:
                    await reader.ReadAsync();
                    return text.ToString();
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(await reader.GetValueAsync());
                    break;
            }
        }
        throw new XmlException("The file ends inside an element.");
    }

    /// <summary>An ISO 8601 time (Disqus) or "yyyy-MM-dd HH:mm:ss" (WordPress), read as UTC when it names no offset.</summary>
    public static DateTimeOffset? Time(string value)
    {
        value = value.Trim();
        if (value.Length == 0 || value.StartsWith("0000-00-00", StringComparison.Ordinal))
        {
            return null;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }
}

/// <summary>Bytes already read from a stream, then the rest of it.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
{
    private ReadOnlyMemory<byte> prefix = prefix;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (prefix.IsEmpty)
        {
            return await rest.ReadAsync(buffer, cancellationToken);
        }
        var n = Math.Min(buffer.Length, prefix.Length);
        prefix[..n].CopyTo(buffer);
        prefix = prefix[n..];
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
