using System.Diagnostics;
using System.Globalization;
using System.Text;
using CommentService.Moderation;
using CommentService.Moderation.Crude;

namespace CommentService.Evaluation;

/// <summary>
/// Wikipedia talk comments labelled toxic or not (wiki-toxicity/wiki_toxicity_nonfuzzed_testset.csv), rich
/// in hard negatives ("gay", "sex", "rape" in ordinary discussion). The measure that matters is the share
/// of non-toxic rows the crude-language phase holds; recall on toxic rows is informative only, because
/// "toxic" is broader than "crude" (insults without vulgar words are toxic).
/// </summary>
public sealed class WikiToxicityEvaluation : IEvaluation
{
    /// <summary>Regression guard: the non-toxic held rate reached on this data set (--check fails above it).</summary>
    public const double MaxNonToxicHeldRate = 0.0085;

    /// <summary>Regression guard: the toxic recall reached on this data set (--check fails below it).</summary>
    public const double MinToxicRecall = 0.40;

    private const string RelativePath = "wiki-toxicity/wiki_toxicity_nonfuzzed_testset.csv";

    public string Name => "wiki-toxicity";

    public string DatasetFolder => "wiki-toxicity";

    public async Task<EvaluationReport> RunAsync(EvaluationOptions options, CancellationToken ct)
    {
        var path = Path.Combine(options.DatasetsDirectory, RelativePath);
        var rows = Csv.ReadWithHeader(path)
            .Select(r => (Id: r["rev_id"], Text: r["comment"], Toxic: bool.Parse(r["toxic"])))
            .ToList();

        var crude = new ModerationPipeline([new CrudeLanguagePhase()], ModerationPipeline.CurrentRulesVersion);
        var full = ModerationPipeline.CreateDefault();
        // An author with some history but not yet trusted: neither new-author nor trusted rules apply.
        var standing = new AuthorStanding(1, 0, 0, 0, false);

        int nonToxic = 0, nonToxicHeld = 0, nonToxicHeldFull = 0, toxic = 0, toxicHeld = 0, toxicHeldFull = 0;
        var heldExamples = new List<string>();
        foreach (var (id, text, isToxic) in rows)
        {
            var request = new ModerationRequest { Body = text, AuthorName = "reader", Author = standing };
            var verdict = await crude.RunAsync(request, ct);
            var fullVerdict = await full.RunAsync(request, ct);
            var held = verdict.Outcome != ModerationOutcome.Approved;
            var heldFull = fullVerdict.Outcome != ModerationOutcome.Approved;
            if (isToxic)
            {
                toxic++;
                toxicHeld += held ? 1 : 0;
                toxicHeldFull += heldFull ? 1 : 0;
            }
            else
            {
                nonToxic++;
                nonToxicHeld += held ? 1 : 0;
                nonToxicHeldFull += heldFull ? 1 : 0;
                if (held)
                {
                    heldExamples.Add($"{id}: " + string.Join("; ", verdict.Flags.Select(f => $"{f.Reason} {f.Score:0.00} \"{f.Evidence}\" ({f.Note})")));
                }
            }
        }

        var timing = MeasureTime(full, rows.Select(r => r.Text).ToList(), standing);
        var nonToxicRate = Rate(nonToxicHeld, nonToxic);
        var recall = Rate(toxicHeld, toxic);

        var md = new StringBuilder();
        md.AppendLine("## wiki-toxicity (crude language)").AppendLine();
        md.AppendLine("| Measure | Crude-language phase | Default pipeline | Target |");
        md.AppendLine("|---|---|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Non-toxic rows held | {Count(nonToxicHeld, nonToxic)} | {Count(nonToxicHeldFull, nonToxic)} | at most 1 % (an off-the-shelf filter: 5.2 %) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Toxic rows held (recall) | {Count(toxicHeld, toxic)} | {Count(toxicHeldFull, toxic)} | informative: toxic is broader than crude |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Time, default local pipeline | {timing.MedianThousandChars:0.0} µs median for a comment of 900-1,100 characters | {timing.MedianAll:0.0} µs median over all rows | at most 100 µs for 1,000 characters |");
        md.AppendLine();
        if (heldExamples.Count > 0)
        {
            md.AppendLine("Non-toxic rows held (rev_id: evidence):").AppendLine();
            foreach (var example in heldExamples)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {example}");
            }
            md.AppendLine();
        }

        var failures = new List<string>();
        if (nonToxicRate > MaxNonToxicHeldRate)
        {
            failures.Add($"non-toxic held rate {nonToxicRate:P2} is above the guard {MaxNonToxicHeldRate:P2}");
        }
        if (recall < MinToxicRecall)
        {
            failures.Add($"toxic recall {recall:P2} is below the guard {MinToxicRecall:P2}");
        }
        md.AppendLine("The default pipeline column includes the spam classifier, whose base model saw the rows with an even rev_id as ordinary prose in training "
            + "(the YouTube section reports prose held on the odd rows only); the crude-language column is independent of it.").AppendLine();
        foreach (var failure in failures)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"**Below the regression guard:** {failure}.").AppendLine();
        }
        return new EvaluationReport(md.ToString(), failures.Count == 0);
    }

    // Wall-clock medians (robust to a busy shared machine); BenchmarkDotNet gives the careful figure.
    private static (double MedianThousandChars, double MedianAll) MeasureTime(ModerationPipeline pipeline, List<string> texts, AuthorStanding standing)
    {
        var requests = texts.Select(t => new ModerationRequest { Body = t, AuthorName = "reader", Author = standing }).ToList();
        foreach (var request in requests)
        {
            pipeline.RunAsync(request).AsTask().GetAwaiter().GetResult();
        }
        var all = new List<double>(requests.Count);
        var sized = new List<double>();
        foreach (var request in requests)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 10; i++)
            {
                pipeline.RunAsync(request).AsTask().GetAwaiter().GetResult();
            }
            var micros = watch.Elapsed.TotalMicroseconds / 10;
            all.Add(micros);
            if (request.Body.Length is >= 900 and <= 1100)
            {
                sized.Add(micros);
            }
        }
        return (Median(sized), Median(all));

        static double Median(List<double> values)
        {
            values.Sort();
            return values.Count == 0 ? 0 : values[values.Count / 2];
        }
    }

    private static double Rate(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    private static string Count(int part, int whole) =>
        string.Create(CultureInfo.InvariantCulture, $"{part:N0} of {whole:N0} ({Rate(part, whole) * 100:0.00} %)");
}
