using System.Text.RegularExpressions;

namespace CommentService.Moderation.Tests;

/// <summary>
/// <see cref="ReasonCodes.All"/> is what hosts explain to authors; it must hold every code a phase can write.
/// </summary>
public sealed partial class ReasonCodesTests
{
    [Fact]
    public void Every_reason_code_written_in_the_library_source_is_declared()
    {
        var source = Path.Combine(RepositoryRoot(), "src", "CommentService.Moderation");
        var families = ReasonCodes.All.Select(c => c[..c.IndexOf('.')]).ToHashSet();
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            foreach (var line in File.ReadLines(file))
            {
                // Phase names share the dotted style ("spam.links") but are not reasons on their own.
                if (line.Contains("PhaseName =", StringComparison.Ordinal) || line.TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }
                foreach (Match m in CodeLiteral().Matches(line))
                {
                    if (families.Contains(m.Groups["family"].Value))
                    {
                        found.Add(m.Groups["code"].Value);
                    }
                }
                // A code built at run time ($"external.webhook.{outcome}") needs declared codes under its prefix.
                foreach (Match m in InterpolatedCode().Matches(line))
                {
                    var prefix = m.Groups["prefix"].Value;
                    Assert.True(ReasonCodes.All.Any(c => c.StartsWith(prefix, StringComparison.Ordinal)),
                        $"{Path.GetFileName(file)} builds codes under '{prefix}' but none is declared");
                }
            }
        }

        Assert.True(found.Count >= 30, $"the scan found only {found.Count} codes; is the source where the test looks ({source})?");
        var undeclared = found.Where(c => !ReasonCodes.All.Contains(c)).ToList();
        Assert.True(undeclared.Count == 0, "Add to ReasonCodes.All (and to the API's PublicReasons): " + string.Join(", ", undeclared));
    }

    [Fact]
    public void Declared_codes_are_unique_and_dotted_lowercase()
    {
        Assert.Equal(ReasonCodes.All.Count, ReasonCodes.All.Distinct().Count());
        Assert.All(ReasonCodes.All, c => Assert.Matches("^[a-z]+(\\.[a-z_]+)+$", c));
    }

    [Fact]
    public async Task Codes_the_pipeline_writes_at_run_time_are_declared()
    {
        var strict = ModerationPolicy.Default with
        {
            PreModeration = PreModeration.All,
            Terms = [new SiteTerm("spoiler", TermAction.Hold), new SiteTerm("sequel", TermAction.Flag)],
        };
        string[] bodies =
        [
            "this fucking shit film",
            "you f*cking c*nt, suck my d1ck",
            "Make money online! I earn $5000 per month from home, contact me on whatsapp +1 555 123 4567",
            "You have to see this lol bit.ly/3xYz9 amazing",
            "see http://a-example.com and http://b-example.net and http://c-example.org for more",
            "http://cheap-watches-example.xyz/promo",
            "Thanks for the wonderful article. Really a great post, keep it up!",
            "PLEASE SUBSCRIBE TO MY CHANNEL GUYS, CHECK OUT MY NEW SONG",
            "Spoiler: the sequel is worse than this one.",
            "The ending stayed with me for days.",
        ];
        var seen = new HashSet<string>();
        var pipeline = ModerationPipeline.CreateDefault();
        foreach (var body in bodies)
        {
            foreach (var (author, policy) in new[] { (AuthorStanding.New, ModerationPolicy.Default), (Moderate.Regular, strict), (new AuthorStanding(0, 0, 0, 0, true), ModerationPolicy.Default), (Moderate.Trusted, ModerationPolicy.Default) })
            {
                var verdict = await pipeline.RunAsync(new ModerationRequest
                {
                    Body = body,
                    AuthorName = "Reader",
                    AuthorUrl = "https://best-casino-bonus-example.com",
                    Author = author,
                    Policy = policy,
                    RecentByAuthor = [body, body],
                });
                seen.UnionWith(verdict.Flags.Select(f => f.Reason));
            }
        }

        Assert.True(seen.Count >= 12, "the comments should exercise many phases: " + string.Join(", ", seen));
        Assert.All(seen, code => Assert.Contains(code, ReasonCodes.All));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CommentService.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CommentService.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("\"(?<code>(?<family>[a-z]+)(?:\\.[a-z_]+)+)\"")]
    private static partial Regex CodeLiteral();

    [GeneratedRegex("\\$\"(?<prefix>[a-z]+(?:\\.[a-z_]+)*\\.)\\{")]
    private static partial Regex InterpolatedCode();
}
