using System.Globalization;
using System.Text;
using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Import;

/// <summary>An article in a generated export file, and what the service should make of it.</summary>
public sealed record SourceThread(string Key, string ArticleId, string Link, string Title);

/// <summary>A comment in a generated export file, with the values the service should store for it.</summary>
public sealed record SourceComment(
    string SourceId,
    string ThreadKey,
    string? ParentSourceId,
    DateTimeOffset CreatedAt,
    string Status,
    string AuthorName,
    string ExpectedAuthorName,
    string? Email,
    string? AuthorUrl,
    string? Ip,
    string Markup,
    string ExpectedBody,
    int Depth);

public sealed record SourceFile(string Text, List<SourceThread> Threads, List<SourceComment> Comments)
{
    /// <summary>The 1-based line on which <paramref name="marker"/> first appears.</summary>
    public int LineOf(string marker)
    {
        var at = Text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"marker {marker} is not in the file");
        return Text.AsSpan(0, at).Count('\n') + 1;
    }
}

/// <summary>
/// Realistic Disqus and WordPress exports made up in the test: thousands of comments over many
/// articles, replies nested down to the service's maximum depth, children listed before their
/// parents, spam and deleted items, HTML in CDATA and as escaped text, entities, emoji, right-to-left
/// and CJK text, ampersands in URLs and names, names longer than the service keeps.
/// </summary>
public static class ExportFiles
{
    public const int MaxDepth = 32;
    private static readonly DateTimeOffset Start = new(2019, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Names =
    [
        "Ada Lovelace", "S1mone", "محمد الأحمد", "李小龙", "Zoë O'Brien & Co", "🎬 Film Buff 🍿", "Jürgen Müller",
        "Ana <the critic>", "Ngozi Okonkwo", "Пётр Ильич",
        "Bartholomew Fitzgerald-Worthington the Third, Esquire, of the Royal Society of Cinematic Appreciation (Edinburgh)",
    ];

    /// <summary>The author name the service keeps: at most 80 characters.</summary>
    public static string Kept(string name) => name.Length <= 80 ? name : name[..80].TrimEnd();

    private static (string Markup, string Body) DisqusMessage(int i)
    {
        var line = SampleText.Line(i);
        return (i % 6) switch
        {
            0 => ($"<p>{Html(line)}</p>", line),
            1 => ($"<p>{Html(line)}</p><p>I <b>really</b> liked the <i>score</i> &amp; the cast.</p>",
                line + "\n\nI **really** liked the *score* & the cast."),
            2 => ($"<p>{Html(line)}<br>— 这部电影很好看 🎬</p>", line + "\n— 这部电影很好看 🎬"),
            3 => ($"<blockquote>{Html(SampleText.Line(i + 7))}</blockquote><p>هذا الفيلم رائع، {Html(line)}</p>",
                "> " + SampleText.Line(i + 7) + "\n\nهذا الفيلم رائع، " + line),
            4 => ($"<p>See <a href=\"https://films.example/notes?id={i}&amp;ref=disqus\" rel=\"nofollow noopener\">my notes</a> &lt;3</p><p>{Html(line)}</p>",
                $"See [my notes](https://films.example/notes?id={i}&ref=disqus) <3\n\n{line}"),
            _ => ($"<p>{Html(line)} &quot;Quoted&quot; &#8212; 5 &gt; 3 &#x1F37F;</p>", line + " \"Quoted\" — 5 > 3 🍿"),
        };
    }

    private static (string Markup, string Body) WordPressText(int i)
    {
        var line = SampleText.Line(i);
        return (i % 5) switch
        {
            0 => (line, line),
            1 => ($"{line}\nSecond line, same paragraph.\n\nA new paragraph — 这部电影很好看.", $"{line}\nSecond line, same paragraph.\n\nA new paragraph — 这部电影很好看."),
            2 => ($"<strong>Agreed.</strong> {line} &amp; more", $"**Agreed.** {line} & more"),
            3 => ($"{line} <a href=\"https://films.example/wp/{i}\">https://films.example/wp/{i}</a>", $"{line} https://films.example/wp/{i}"),
            _ => ($"שלום! {line} 😀", $"שלום! {line} 😀"),
        };
    }

    /// <summary>A Disqus export: <paramref name="comments"/> posts over <paramref name="threads"/> threads, one of them holding a reply chain <paramref name="chain"/> levels deep.</summary>
    public static SourceFile Disqus(int threads, int comments, int chain = MaxDepth + 1, int seed = 7, string idPrefix = "")
    {
        var random = new Random(seed);
        var threadList = Enumerable.Range(0, threads).Select(t =>
        {
            var link = $"https://films.example/reviews/{idPrefix}film-{t}?utm_source=feed&lang=en";
            return new SourceThread($"{idPrefix}7{t:D4}", link, link, $"Review #{t}: «Her» (2013) & notes 🎬");
        }).ToList();
        var list = Tree(threadList, comments, chain, random, i => DisqusMessage(i), i => $"disqus:{idPrefix}9{i:D6}");

        // Exports are not in tree order: move some replies ahead of their parents.
        var order = list.ToList();
        for (var i = 0; i < order.Count / 10; i++)
        {
            var a = random.Next(order.Count);
            var b = random.Next(order.Count);
            (order[a], order[b]) = (order[b], order[a]);
        }

        var x = new StringBuilder();
        x.Append("""
            <?xml version="1.0" encoding="utf-8"?>
            <disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd http://disqus.com/api/schemas/1.0/disqus-internals.xsd">
              <category dsq:id="5001">
                <forum>films</forum>
                <title>General</title>
                <isDefault>true</isDefault>
              </category>

            """);
        foreach (var t in threadList)
        {
            x.Append(CultureInfo.InvariantCulture, $"""
                  <thread dsq:id="{t.Key}">
                    <id>{t.Key} https://films.example/?p={t.Key}</id>
                    <forum>films</forum>
                    <category dsq:id="5001" />
                    <link>{Xml(t.Link)}</link>
                    <title>{Xml(t.Title)}</title>
                    <message />
                    <createdAt>{Start:yyyy-MM-ddTHH:mm:ssZ}</createdAt>
                    <author>
                      <email>editor@films.example</email>
                      <name>Editor</name>
                      <isAnonymous>false</isAnonymous>
                      <username>editor</username>
                    </author>
                    <ipAddress>198.51.100.1</ipAddress>
                    <isClosed>false</isClosed>
                    <isDeleted>false</isDeleted>
                  </thread>

                """);
        }
        var n = 0;
        foreach (var c in order)
        {
            var id = c.SourceId["disqus:".Length..];
            var message = n++ % 2 == 0 ? $"<![CDATA[{c.Markup}]]>" : Xml(c.Markup);
            x.Append(CultureInfo.InvariantCulture, $"""
                  <post dsq:id="{id}">
                    <id />
                    <message>{message}</message>
                    <createdAt>{c.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</createdAt>
                    <isDeleted>{(c.Status == "deleted" ? "true" : "false")}</isDeleted>
                    <isSpam>{(c.Status == "spam" ? "true" : "false")}</isSpam>{(c.Status == "pending" ? "\n        <isApproved>false</isApproved>" : "")}
                    <author>
                      {(c.Email is null ? "<email />" : $"<email>{c.Email}</email>")}
                      <name>{Xml(c.AuthorName)}</name>
                      <isAnonymous>{(c.Email is null ? "true" : "false")}</isAnonymous>
                      <username>user{id}</username>
                    </author>
                    <ipAddress>{c.Ip}</ipAddress>
                    <thread dsq:id="{c.ThreadKey}" />
                    {(c.ParentSourceId is null ? "" : $"<parent dsq:id=\"{c.ParentSourceId["disqus:".Length..]}\" />")}
                  </post>

                """);
        }
        x.Append("</disqus>\n");
        return new SourceFile(x.ToString(), threadList, list);
    }

    /// <summary>A WordPress WXR export with <paramref name="comments"/> comments (plus pingbacks, which are not imported).</summary>
    public static SourceFile Wxr(int posts, int comments, int seed = 11)
    {
        var random = new Random(seed);
        var threadList = Enumerable.Range(0, posts).Select(p =>
        {
            var link = $"https://films.example/{2019 + p % 3}/0{1 + p % 9}/film-notes-{p}/";
            return new SourceThread($"{100 + p}", link, link, $"Film notes {p}: Amélie & «Chungking Express»");
        }).ToList();
        var list = Tree(threadList, comments, chain: 6, random, i => WordPressText(i), i => $"wxr:{1000 + i}");

        var x = new StringBuilder();
        x.Append("""
            <?xml version="1.0" encoding="UTF-8" ?>
            <!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
            <rss version="2.0"
            	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
            	xmlns:content="http://purl.org/rss/1.0/modules/content/"
            	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
            	xmlns:dc="http://purl.org/dc/elements/1.1/"
            	xmlns:wp="http://wordpress.org/export/1.2/"
            >
            <channel>
            	<title>Film notes</title>
            	<link>https://films.example</link>
            	<description>Notes on films &amp; their makers</description>
            	<language>en-GB</language>
            	<wp:wxr_version>1.2</wp:wxr_version>
            	<wp:base_site_url>https://films.example</wp:base_site_url>
            	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[editor]]></wp:author_login></wp:author>

            """);
        var ping = 0;
        foreach (var t in threadList)
        {
            x.Append(CultureInfo.InvariantCulture, $"""
                	<item>
                		<title>{Xml(t.Title)}</title>
                		<link>{Xml(t.Link)}</link>
                		<pubDate>Fri, 01 Mar 2019 08:00:00 +0000</pubDate>
                		<dc:creator><![CDATA[editor]]></dc:creator>
                		<guid isPermaLink="false">https://films.example/?p={t.Key}</guid>
                		<description></description>
                		<content:encoded><![CDATA[<p>The post itself, which is not a comment.</p>]]></content:encoded>
                		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
                		<wp:post_id>{t.Key}</wp:post_id>
                		<wp:post_date><![CDATA[2019-03-01 09:00:00]]></wp:post_date>
                		<wp:post_date_gmt><![CDATA[2019-03-01 08:00:00]]></wp:post_date_gmt>
                		<wp:comment_status><![CDATA[open]]></wp:comment_status>
                		<wp:post_name><![CDATA[film-notes-{t.Key}]]></wp:post_name>
                		<wp:status><![CDATA[publish]]></wp:status>
                		<wp:post_type><![CDATA[post]]></wp:post_type>
                		<category domain="category" nicename="reviews"><![CDATA[Reviews]]></category>
                		<wp:postmeta>
                			<wp:meta_key><![CDATA[_edit_last]]></wp:meta_key>
                			<wp:meta_value><![CDATA[1]]></wp:meta_value>
                		</wp:postmeta>

                """);
            foreach (var c in list.Where(c => c.ThreadKey == t.Key))
            {
                x.Append(WxrComment(c.SourceId["wxr:".Length..], c.AuthorName, c.Email, c.AuthorUrl, c.Ip, c.CreatedAt, c.Markup,
                    c.Status switch { "approved" => "1", "pending" => "0", "spam" => "spam", _ => "trash" },
                    "", c.ParentSourceId is null ? "0" : c.ParentSourceId["wxr:".Length..]));
            }
            x.Append(WxrComment($"{900000 + ping++}", "Another Blog", null, "https://elsewhere.example/", "192.0.2.9", Start.AddDays(3),
                "[&#8230;] we linked to this review [&#8230;]", "1", "pingback", "0"));
            x.Append("\t</item>\n");
        }
        x.Append("</channel>\n</rss>\n");
        return new SourceFile(x.ToString(), threadList, list);
    }

    private static string WxrComment(string id, string author, string? email, string? url, string? ip, DateTimeOffset at, string content,
        string approved, string type, string parent) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            		<wp:comment>
            			<wp:comment_id>{id}</wp:comment_id>
            			<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
            			<wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
            			<wp:comment_author_url>{Xml(url ?? "")}</wp:comment_author_url>
            			<wp:comment_author_IP><![CDATA[{ip}]]></wp:comment_author_IP>
            			<wp:comment_date><![CDATA[{at.AddHours(1).UtcDateTime:yyyy-MM-dd HH:mm:ss}]]></wp:comment_date>
            			<wp:comment_date_gmt><![CDATA[{at.UtcDateTime:yyyy-MM-dd HH:mm:ss}]]></wp:comment_date_gmt>
            			<wp:comment_content><![CDATA[{content}]]></wp:comment_content>
            			<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
            			<wp:comment_type><![CDATA[{type}]]></wp:comment_type>
            			<wp:comment_parent>{parent}</wp:comment_parent>
            			<wp:comment_user_id>0</wp:comment_user_id>
            			<wp:commentmeta>
            				<wp:meta_key><![CDATA[akismet_result]]></wp:meta_key>
            				<wp:meta_value><![CDATA[false]]></wp:meta_value>
            			</wp:commentmeta>
            		</wp:comment>

            """);

    /// <summary>Comments over the threads: a reply chain <paramref name="chain"/> levels deep in the first, then replies to random earlier comments.</summary>
    private static List<SourceComment> Tree(List<SourceThread> threads, int count, int chain, Random random,
        Func<int, (string Markup, string Body)> text, Func<int, string> sourceId)
    {
        var list = new List<SourceComment>(count);
        var byThread = threads.ToDictionary(t => t.Key, _ => new List<SourceComment>());
        var times = new HashSet<DateTimeOffset>();
        for (var i = 0; i < count; i++)
        {
            var thread = i < chain ? threads[0] : threads[random.Next(threads.Count)];
            var siblings = byThread[thread.Key];
            SourceComment? parent = i < chain
                ? (i == 0 ? null : list[i - 1])
                : siblings.Count > 0 && random.NextDouble() < 0.55 ? siblings[random.Next(siblings.Count)] : null;
            if (parent is { Depth: >= 8 } && i >= chain)
            {
                parent = null;
            }
            var status = i % 23 == 7 ? "spam" : i % 31 == 5 ? "deleted" : i % 29 == 3 ? "pending" : "approved";
            var (markup, body) = text(i);
            var name = Names[i % Names.Length];
            var created = (parent?.CreatedAt ?? Start.AddHours(random.Next(1, 48))).AddMinutes(random.Next(1, 600)).AddSeconds(i % 60);
            while (!times.Add(created))
            {
                // Distinct times, so the order of siblings (by creation) is known.
                created = created.AddSeconds(1);
            }
            var comment = new SourceComment(sourceId(i), thread.Key, parent?.SourceId, created, status, name, Kept(name),
                i % 3 == 0 ? null : $"reader{i % 97}@mail.example", i % 4 == 0 ? $"https://readers.example/{i % 97}?a=1&b=2" : null,
                i % 5 == 0 ? $"2001:db8::{i % 50:x}" : $"203.0.113.{i % 200}", markup, status == "deleted" ? "" : body,
                (parent?.Depth ?? -1) + 1);
            list.Add(comment);
            siblings.Add(comment);
        }
        return list;
    }

    public static string Xml(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static string Html(string text) => Xml(text);
}
