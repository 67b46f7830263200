using Ganss.Xss;
using Markdig;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CommentService.Api.Infrastructure;

/// <summary>
/// Turns a comment's text into the HTML readers see: a safe Markdown subset (paragraphs, line
/// breaks, emphasis, links, inline code and code blocks, quotes), raw HTML shown as text, links with
/// rel="nofollow ugc", and an allow-list sanitizer over the result as a second line of defence.
/// Rendered once when the comment is written and stored beside the text.
/// </summary>
public sealed class BodyRenderer
{
    private readonly MarkdownPipeline pipeline;
    private readonly HtmlSanitizer sanitizer;

    public BodyRenderer()
    {
        var builder = new MarkdownPipelineBuilder().DisableHtml().UseSoftlineBreakAsHardlineBreak();
        // Headings, lists, rules, tables and the like are not comment material: their markup stays plain text.
        builder.BlockParsers.RemoveAll(p => p is HeadingBlockParser or ListBlockParser or ThematicBreakParser or HtmlBlockParser);
        pipeline = builder.Build();

        sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Clear();
        foreach (var tag in new[] { "p", "br", "em", "strong", "a", "code", "pre", "blockquote" })
        {
            sanitizer.AllowedTags.Add(tag);
        }
        sanitizer.AllowedAttributes.Clear();
        sanitizer.AllowedAttributes.Add("href");
        sanitizer.AllowedAttributes.Add("rel");
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.KeepChildNodes = true;
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "nofollow ugc");
            }
        };
    }

    public string ToHtml(string text)
    {
        var document = Markdown.Parse(text, pipeline);
        foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage).ToList())
        {
            // Images become plain links: no third-party pixels in comments.
            image.IsImage = false;
        }
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        pipeline.Setup(renderer);
        renderer.Render(document);
        return sanitizer.Sanitize(writer.ToString()).Trim();
    }
}
