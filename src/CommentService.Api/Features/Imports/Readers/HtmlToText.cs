using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace CommentService.Api.Features.Imports.Readers;

/// <summary>
/// Turns the HTML of Disqus messages and WordPress comments into the service's body format: plain
/// text with its Markdown subset. Paragraphs become blank lines, &lt;br&gt; a line break, &lt;b&gt;/&lt;strong&gt;
/// **strong**, &lt;i&gt;/&lt;em&gt; *emphasis*, &lt;a href&gt; a Markdown link (http and https only), &lt;blockquote&gt;
/// "&gt; " lines, &lt;code&gt; and &lt;pre&gt; code; entities are decoded; other tags keep only their text and
/// scripts and styles are dropped. Newlines in the text are kept, as WordPress shows them.
/// One instance per import: the parser is not shared between threads.
/// </summary>
public sealed class HtmlToText
{
    private readonly HtmlParser parser = new();

    public string Convert(string html)
    {
        if (html.IndexOf('<') < 0 && html.IndexOf('&') < 0)
        {
            return Tidy(html);
        }
        var document = parser.ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>");
        var text = new StringBuilder(html.Length);
        Append(document.Body!, text);
        return Tidy(text.ToString());
    }

    private static void Append(INode parent, StringBuilder text)
    {
        foreach (var node in parent.ChildNodes)
        {
            switch (node)
            {
                case IText t:
                    text.Append(t.Data);
                    break;
                case IElement e:
                    AppendElement(e, text);
                    break;
            }
        }
    }

    private static void AppendElement(IElement e, StringBuilder text)
    {
        switch (e.LocalName)
        {
            case "script" or "style" or "template":
                return;
            case "br":
                text.Append('\n');
                return;
            case "p" or "div" or "ul" or "ol" or "table" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                Paragraph(text);
                Append(e, text);
                Paragraph(text);
                return;
            case "li" or "tr":
                NewLine(text);
                Append(e, text);
                NewLine(text);
                return;
            case "b" or "strong":
                Wrap(e, text, "**");
                return;
            case "i" or "em":
                Wrap(e, text, "*");
                return;
            case "code" when e.ParentElement?.LocalName != "pre":
                var code = e.TextContent;
                if (code.Length > 0)
                {
                    var fence = code.Contains('`') ? "``" : "`";
                    text.Append(fence).Append(code).Append(fence);
                }
                return;
            case "pre":
                Paragraph(text);
                text.Append("```\n").Append(e.TextContent.TrimEnd('\n')).Append("\n```");
                Paragraph(text);
                return;
            case "blockquote":
                var inner = new StringBuilder();
                Append(e, inner);
                var quoted = Tidy(inner.ToString());
                if (quoted.Length > 0)
                {
                    Paragraph(text);
                    text.Append(string.Join('\n', quoted.Split('\n').Select(line => line.Length == 0 ? ">" : "> " + line)));
                    Paragraph(text);
                }
                return;
            case "a":
                Link(e, text);
                return;
            case "img":
                var src = e.GetAttribute("src");
                if (IsWebLink(src))
                {
                    text.Append(src);
                }
                return;
            default:
                Append(e, text);
                return;
        }
    }

    private static void Link(IElement e, StringBuilder text)
    {
        var href = e.GetAttribute("href")?.Trim();
        var inner = new StringBuilder();
        Append(e, inner);
        var label = inner.ToString().Trim();
        if (!IsWebLink(href))
        {
            text.Append(label);
        }
        else if (label.Length == 0 || ShowsItself(label, href!))
        {
            // A bare or shortened URL shown as its own text: the URL alone renders as a link.
            text.Append(href);
        }
        else
        {
            text.Append('[').Append(label.Replace("[", "\\[").Replace("]", "\\]")).Append("](")
                .Append(href!.Replace("(", "%28").Replace(")", "%29").Replace(" ", "%20")).Append(')');
        }
    }

    /// <summary>Whether the link text is the URL itself, perhaps without its scheme or shortened with an ellipsis.</summary>
    private static bool ShowsItself(string label, string href)
    {
        var core = label.TrimEnd('.', '…').Trim();
        var bare = href[(href.IndexOf("//", StringComparison.Ordinal) + 2)..];
        return core.Length > 0 && (href.StartsWith(core, StringComparison.OrdinalIgnoreCase) || bare.StartsWith(core, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsWebLink(string? href) =>
        Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static void Wrap(IElement e, StringBuilder text, string mark)
    {
        var inner = new StringBuilder();
        Append(e, inner);
        var content = inner.ToString();
        if (content.Trim().Length == 0)
        {
            text.Append(content);
            return;
        }
        // Markers must touch the words they wrap, so leading and trailing spaces stay outside.
        var lead = content.Length - content.TrimStart().Length;
        var trail = content.Length - content.TrimEnd().Length;
        text.Append(content, 0, lead).Append(mark).Append(content.Trim()).Append(mark).Append(content, content.Length - trail, trail);
    }

    private static void Paragraph(StringBuilder text)
    {
        if (text.Length > 0)
        {
            text.Append("\n\n");
        }
    }

    private static void NewLine(StringBuilder text)
    {
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
    }

    /// <summary>LF line ends, no trailing spaces, at most one blank line in a row, no blank lines at either end.</summary>
    private static string Tidy(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var result = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                blank++;
                continue;
            }
            if (result.Length > 0)
            {
                result.Append(blank > 0 ? "\n\n" : "\n");
            }
            blank = 0;
            result.Append(line);
        }
        return result.ToString();
    }
}
