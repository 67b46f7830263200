namespace CommentService.Evaluation;

/// <summary>
/// The Wikipedia talk comments (wiki-toxicity/, conversationai/unintended-ml-bias-analysis, Apache-2.0; texts
/// CC BY-SA 3.0) are ordinary discussion: none of them is spam. The base spam model learns from the rows
/// with an even rev_id what legitimate prose looks like (the YouTube training portions alone teach it that
/// anything not about the song is spam); rows with an odd rev_id are never trained on and are where the
/// legitimate-held rate on prose is measured. Any evaluation of these rows through the full pipeline should
/// report on the odd half, or say that the spam classifier saw the even half.
/// </summary>
public static class WikiToxicitySplit
{
    public const string Folder = "wiki-toxicity";
    public const string File = "wiki_toxicity_nonfuzzed_testset.csv";

    public static bool IsTraining(long revId) => revId % 2 == 0;

    public sealed record Row(long RevId, string Comment, bool Toxic);

    /// <summary>The rows, with the dataset's NEWLINE_TOKEN/TAB_TOKEN markers turned back into whitespace; empty when absent.</summary>
    public static IReadOnlyList<Row> Load(string datasetsDirectory)
    {
        var path = Path.Combine(datasetsDirectory, Folder, File);
        if (!System.IO.File.Exists(path))
        {
            return [];
        }
        return Csv.ReadWithHeader(path)
            .Select(r => new Row(long.Parse(r["rev_id"], System.Globalization.CultureInfo.InvariantCulture),
                r["comment"].Replace("NEWLINE_TOKEN", "\n", StringComparison.Ordinal).Replace("TAB_TOKEN", "\t", StringComparison.Ordinal).Trim(),
                r["toxic"].Trim().Equals("True", StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }
}
