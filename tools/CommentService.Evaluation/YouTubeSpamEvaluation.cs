using System.Globalization;
using System.Text;
using CommentService.Moderation;
using CommentService.Moderation.Spam;

namespace CommentService.Evaluation;

/// <summary>
/// The YouTube Spam Collection (T.C. Alberto, J.V. Lochter, T.A. Almeida, "TubeSpam: Comment Spam Filtering
/// on YouTube", ICMLA 2015; CC BY 4.0) on the authors' protocol: per video and per class, comments sorted by
/// date ascending, the first 70 % train and the last 30 % test. The classifier learns only from training
/// portions (the shipped base model from all five pooled); the full default pipeline is measured on each test
/// portion, with each comment's repeat history taken from earlier comments of the same video only.
/// </summary>
public sealed class YouTubeSpamEvaluation : IEvaluation
{
    /// <summary>
    /// Regression floors for --check: just under the figures this version reaches with every phase (crude language
    /// included). Fresh site (no site model): 0.954 mean accuracy, 0.955 mean F1, 7 of 287 legitimate test comments
    /// held (3 of them abusive or sexual, held by the crude-language phase), 9 of 744 prose rows held. Taught site
    /// (site model learned from the training portion's labels): 0.956, 0.955, 5 of 287. The issue's targets are
    /// 0.95 / 0.95 / at most 2 % legitimate held.
    /// </summary>
    public const double FloorMeanAccuracy = 0.952;
    public const double FloorMeanF1 = 0.953;
    public const double CeilingLegitimateHeld = 0.025;
    public const double CeilingProseHeld = 0.013;

    /// <summary>The same floors for the taught site.</summary>
    public const double FloorTaughtMeanAccuracy = 0.954;
    public const double FloorTaughtMeanF1 = 0.953;
    public const double CeilingTaughtLegitimateHeld = 0.018;

    public const double TrainShare = 0.7;

    /// <summary>Where --train-model writes the shipped model, relative to the repository root.</summary>
    public const string ModelPath = "src/CommentService.Moderation/Data/base-spam-model.bin";

    /// <summary>Weights smaller than this are left out of the shipped model (it stays small).</summary>
    public const double PruneBelow = 1e-3;

    public string Name => "YouTube Spam Collection";

    public string DatasetFolder => "youtube-spam";

    private static readonly Dictionary<string, string> Titles = new()
    {
        ["01-9bZkp7q19f0"] = "Psy",
        ["04-CevxZvSJLk8"] = "KatyPerry",
        ["07-KQ6zr6kCPj8"] = "LMFAO",
        ["08-uelHwf8o7_U"] = "Eminem",
        ["09-pRpeEdMmmQ0"] = "Shakira",
    };

    public sealed record Comment(string Id, string Author, DateTime Date, string Content, bool IsSpam);

    public sealed record Video(string Name, string Key, IReadOnlyList<Comment> ByDate, IReadOnlyList<Comment> Train, IReadOnlyList<Comment> Test);

    /// <param name="HeldAsCrude">Of the legitimate comments held, those held by the crude-language phase (abusive or
    /// sexual, not spam): held on purpose by a moderated service, counted in FalsePositive all the same.</param>
    private sealed record Counts(int TruePositive, int FalsePositive, int TrueNegative, int FalseNegative, int HeldAsCrude = 0)
    {
        public int Total => TruePositive + FalsePositive + TrueNegative + FalseNegative;
        public double Accuracy => (double)(TruePositive + TrueNegative) / Total;
        public double F1 => 2.0 * TruePositive / (2 * TruePositive + FalsePositive + FalseNegative);
        public double Precision => TruePositive + FalsePositive == 0 ? 1 : (double)TruePositive / (TruePositive + FalsePositive);
        public double Recall => (double)TruePositive / (TruePositive + FalseNegative);
        public int Legitimate => FalsePositive + TrueNegative;
    }

    /// <summary>Reads the five videos and splits each on the authors' protocol.</summary>
    public static IReadOnlyList<Video> Load(string folder)
    {
        var videos = new List<Video>();
        foreach (var file in Directory.GetFiles(folder, "*.csv").OrderBy(f => f, StringComparer.Ordinal))
        {
            var key = Path.GetFileNameWithoutExtension(file);
            var comments = Csv.ReadWithHeader(file)
                .Select(r => new Comment(r["COMMENT_ID"], r["AUTHOR"], DateTime.Parse(r["DATE"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    r["CONTENT"], r["CLASS"].Trim() == "1"))
                .ToList();
            // The files are not all in the same order: sort by date (ties by id, for a stable split).
            var byDate = comments.OrderBy(c => c.Date).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
            var train = new List<Comment>();
            var test = new List<Comment>();
            foreach (var cls in new[] { true, false })
            {
                var ofClass = byDate.Where(c => c.IsSpam == cls).ToList();
                var cut = (int)Math.Round(ofClass.Count * TrainShare, MidpointRounding.AwayFromZero);
                train.AddRange(ofClass.Take(cut));
                test.AddRange(ofClass.Skip(cut));
            }
            videos.Add(new Video(Titles.GetValueOrDefault(key, key), key[(key.IndexOf('-') + 1)..], byDate,
                train.OrderBy(c => c.Date).ToList(), test.OrderBy(c => c.Date).ToList()));
        }
        return videos;
    }

    /// <summary>The shipped base model: counted on all five training portions, calibrated by 5-fold cross-validation, pruned.</summary>
    public static SpamModel TrainBaseModel(IReadOnlyList<Video> videos, IReadOnlyList<WikiToxicitySplit.Row> wiki)
    {
        var examples = videos.SelectMany(v => v.Train).Select(c => (c.Content, c.IsSpam))
            .Concat(wiki.Where(r => WikiToxicitySplit.IsTraining(r.RevId)).Select(r => (r.Comment, false)))
            .ToList();
        var model = SpamModel.Train(examples);
        model.Prune(PruneBelow);
        return model;
    }

    public async Task<EvaluationReport> RunAsync(EvaluationOptions options, CancellationToken ct)
    {
        var videos = Load(Path.Combine(options.DatasetsDirectory, DatasetFolder));
        var md = new StringBuilder();
        md.AppendLine($"## {Name}").AppendLine();
        md.AppendLine($"{videos.Sum(v => v.ByDate.Count)} comments in {videos.Count} videos; authors' protocol (per video and class, by date, first 70 % train, last 30 % test); "
            + "\"held\" = any outcome but Approved. Source: Alberto, Lochter, Almeida, ICMLA 2015 (CC BY 4.0).").AppendLine();

        var wiki = WikiToxicitySplit.Load(options.DatasetsDirectory);
        var trained = TrainBaseModel(videos, wiki);
        var trainedBytes = trained.ToBytes();
        if (options.TrainModel)
        {
            var path = Path.Combine(options.RepositoryRoot, ModelPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, trainedBytes, ct);
            md.AppendLine($"Wrote the base model ({trained.FeatureCount} features, {trainedBytes.Length:N0} bytes) to {ModelPath}; rebuild to embed it.").AppendLine();
        }
        var shippedCurrent = SpamModel.Base.ToBytes().AsSpan().SequenceEqual(trainedBytes);
        if (!shippedCurrent)
        {
            md.AppendLine("**Note:** the model embedded in this build differs from one trained now; run with --train-model and rebuild. "
                + "The pipeline table below measures the embedded model.").AppendLine();
        }

        var pipeline = ModerationPipeline.CreateDefault();
        var results = new List<(Video Video, Counts Counts)>();
        var errors = new StringBuilder();
        foreach (var video in videos)
        {
            results.Add((video, await Measure(pipeline, video, errors, ct)));
        }

        md.AppendLine("### Full default pipeline (ModerationPipeline.CreateDefault(), default policy, AuthorStanding.New, base model from the five training portions pooled)").AppendLine();
        AppendTable(md, results);
        var meanAccuracy = results.Average(r => r.Counts.Accuracy);
        var meanF1 = results.Average(r => r.Counts.F1);
        var legitimateHeld = (double)results.Sum(r => r.Counts.FalsePositive) / results.Sum(r => r.Counts.Legitimate);
        var proseHeldRate = 0.0;

        if (wiki.Count > 0)
        {
            var prose = wiki.Where(r => !WikiToxicitySplit.IsTraining(r.RevId)).ToList();
            var proseHeld = 0;
            foreach (var row in prose)
            {
                var verdict = await pipeline.RunAsync(new ModerationRequest { Body = row.Comment, AuthorName = "reader" }, ct);
                if (verdict.Flags.Any(f => f.Reason == "spam.score" && f.Score >= ModerationPolicy.Default.SpamHoldThreshold))
                {
                    proseHeld++;
                    errors.AppendLine($"- Wikipedia HELD prose {Snippet(row.Comment)} -- {string.Join(", ", verdict.Flags.Select(f => $"{f.Reason}={f.Score:0.00}"))}");
                }
            }
            proseHeldRate = (double)proseHeld / prose.Count;
            md.AppendLine($"Ordinary prose held as spam: {proseHeld}/{prose.Count} = {proseHeldRate:P1} of the Wikipedia talk comments never trained on (wiki-toxicity rows with an odd rev_id; none is spam).").AppendLine();
        }

        // A deployed site whose moderators have decided its earlier comments: their decisions teach the site's
        // own model on top of the shipped one (SpamLearning in the API). Here the "decisions" are the
        // training portion's labels, in date order; the test portion is judged as it comes in.
        var taught = new List<(Video Video, Counts Counts)>();
        foreach (var video in videos)
        {
            var site = new SpamModel();
            foreach (var comment in video.Train.OrderBy(c => c.Date))
            {
                site.Learn(comment.Content, comment.IsSpam, SpamModel.Base);
            }
            taught.Add((video, await Measure(pipeline, video, errors, ct, site)));
        }
        md.AppendLine("### Full default pipeline on a site whose moderators decided the training portion (site model taught by their decisions)").AppendLine();
        AppendTable(md, taught);
        TaughtMeanAccuracy = taught.Average(r => r.Counts.Accuracy);
        TaughtMeanF1 = taught.Average(r => r.Counts.F1);
        TaughtLegitimateHeld = (double)taught.Sum(r => r.Counts.FalsePositive) / taught.Sum(r => r.Counts.Legitimate);

        md.AppendLine("### Classifier alone (spam probability >= 0.5), for comparison").AppendLine();
        md.AppendLine("| Video | per-video model acc. | F1 | pooled model acc. | F1 |").AppendLine("|---|---|---|---|---|");
        var perVideo = new List<Counts>();
        var pooled = new List<Counts>();
        foreach (var video in videos)
        {
            var own = SpamModel.Train(video.Train.Select(c => (c.Content, c.IsSpam)).ToList());
            var a = ClassifierCounts(own, video);
            var b = ClassifierCounts(SpamModel.Base, video);
            perVideo.Add(a);
            pooled.Add(b);
            md.AppendLine($"| {video.Name} | {a.Accuracy:0.000} | {a.F1:0.000} | {b.Accuracy:0.000} | {b.F1:0.000} |");
        }
        md.AppendLine($"| **mean** | {perVideo.Average(c => c.Accuracy):0.000} | {perVideo.Average(c => c.F1):0.000} | {pooled.Average(c => c.Accuracy):0.000} | {pooled.Average(c => c.F1):0.000} |").AppendLine();

        var meets = meanAccuracy >= FloorMeanAccuracy && meanF1 >= FloorMeanF1 && legitimateHeld <= CeilingLegitimateHeld && proseHeldRate <= CeilingProseHeld
            && TaughtMeanAccuracy >= FloorTaughtMeanAccuracy && TaughtMeanF1 >= FloorTaughtMeanF1 && TaughtLegitimateHeld <= CeilingTaughtLegitimateHeld;
        md.AppendLine($"Regression floor (--check): fresh site mean accuracy >= {FloorMeanAccuracy:0.000}, mean F1 >= {FloorMeanF1:0.000}, legitimate held <= {CeilingLegitimateHeld:P1}, prose held <= {CeilingProseHeld:P1}; "
            + $"taught site mean accuracy >= {FloorTaughtMeanAccuracy:0.000}, mean F1 >= {FloorTaughtMeanF1:0.000}, legitimate held <= {CeilingTaughtLegitimateHeld:P1}: "
            + (meets ? "met." : "**NOT met.**")).AppendLine();
        if (Environment.GetEnvironmentVariable("EVAL_SHOW_ERRORS") == "1")
        {
            md.AppendLine("### Misclassified test comments").AppendLine().Append(errors).AppendLine();
        }
        return new EvaluationReport(md.ToString(), meets);
    }

    private static void AppendTable(StringBuilder md, List<(Video Video, Counts Counts)> results)
    {
        md.AppendLine("| Video | test comments | spam | accuracy | precision | recall | F1 | legitimate held |").AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (video, c) in results)
        {
            md.AppendLine($"| {video.Name} | {c.Total} | {c.TruePositive + c.FalseNegative} | {c.Accuracy:0.000} | {c.Precision:0.000} | {c.Recall:0.000} | {c.F1:0.000} | {c.FalsePositive}/{c.Legitimate} |");
        }
        var fp = results.Sum(r => r.Counts.FalsePositive);
        var legit = results.Sum(r => r.Counts.Legitimate);
        md.AppendLine($"| **mean** | {results.Sum(r => r.Counts.Total)} | | **{results.Average(r => r.Counts.Accuracy):0.000}** | {results.Average(r => r.Counts.Precision):0.000} | {results.Average(r => r.Counts.Recall):0.000} | **{results.Average(r => r.Counts.F1):0.000}** | **{fp}/{legit} = {(double)fp / legit:P1}** (pooled) |").AppendLine();
        var crude = results.Sum(r => r.Counts.HeldAsCrude);
        md.AppendLine($"Of the legitimate comments held, {crude} were held by the crude-language phase (abusive or sexual remarks, which this service holds on purpose); "
            + $"held as spam: {fp - crude}/{legit} = {(double)(fp - crude) / legit:P1}.").AppendLine();
    }

    /// <summary>Figures of the taught-site run, for the caller's summary.</summary>
    public double TaughtMeanAccuracy { get; private set; }
    public double TaughtMeanF1 { get; private set; }
    public double TaughtLegitimateHeld { get; private set; }

    private static async Task<Counts> Measure(ModerationPipeline pipeline, Video video, StringBuilder errors, CancellationToken ct, SpamModel? siteModel = null)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0, crude = 0;
        foreach (var comment in video.Test)
        {
            var request = RequestFor(video, comment) with { SiteSpamModel = siteModel };
            var verdict = await pipeline.RunAsync(request, ct);
            var held = verdict.Outcome != ModerationOutcome.Approved;
            switch (comment.IsSpam, held)
            {
                case (true, true): tp++; break;
                case (false, true): fp++; break;
                case (false, false): tn++; break;
                case (true, false): fn++; break;
            }
            if (!comment.IsSpam && held && verdict.DecidedBy == "crude-language")
            {
                crude++;
            }
            if (held != comment.IsSpam)
            {
                var flags = string.Join(", ", verdict.Flags.Select(f => $"{f.Reason}={f.Score:0.00}"));
                errors.AppendLine($"- {video.Name} {(comment.IsSpam ? "MISSED spam" : "HELD legit")} [{verdict.Outcome}] {Snippet(comment.Content)} -- {flags}");
            }
        }
        return new Counts(tp, fp, tn, fn, crude);
    }

    /// <summary>The request for one test comment: its history is only what came before it on the same video.</summary>
    public static ModerationRequest RequestFor(Video video, Comment comment)
    {
        var earlier = video.ByDate.Where(c => c.Date < comment.Date).Reverse().ToList();
        return new ModerationRequest
        {
            Body = comment.Content,
            AuthorName = comment.Author,
            SiteId = "youtube",
            ArticleId = video.Name,
            ArticleUrl = $"https://www.youtube.com/watch?v={video.Key}",
            RecentByAuthor = earlier.Where(c => c.Author == comment.Author).Select(c => c.Content).Take(50).ToList(),
            RecentOnSite = earlier.Select(c => c.Content).Take(RepeatPhase.MaximumCompared).ToList(),
            Author = AuthorStanding.New,
            Now = new DateTimeOffset(DateTime.SpecifyKind(comment.Date, DateTimeKind.Utc)),
        };
    }

    private static Counts ClassifierCounts(SpamModel model, Video video)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var c in video.Test)
        {
            var spam = model.Score(c.Content) >= 0.5;
            switch (c.IsSpam, spam)
            {
                case (true, true): tp++; break;
                case (false, true): fp++; break;
                case (false, false): tn++; break;
                case (true, false): fn++; break;
            }
        }
        return new Counts(tp, fp, tn, fn);
    }

    private static string Snippet(string s)
    {
        s = s.Replace('\n', ' ').Replace('|', '/');
        return s.Length <= 140 ? s : s[..140] + "…";
    }
}
