using System.Reflection;

namespace CommentService.Moderation.Text;

/// <summary>Reads the data files embedded from Data/ (term lists, tables): non-empty lines without '#' comments.</summary>
internal static class EmbeddedData
{
    public static IEnumerable<string> Lines(string fileName)
    {
        foreach (var line in RawLines(fileName))
        {
            var hash = line.IndexOf('#');
            var content = (hash >= 0 ? line[..hash] : line).Trim();
            if (content.Length > 0)
            {
                yield return content;
            }
        }
    }

    /// <summary>Every line as written, for tables whose data may contain '#'.</summary>
    public static IEnumerable<string> RawLines(string fileName)
    {
        var name = "CommentService.Moderation.Data." + fileName;
        using var stream = typeof(EmbeddedData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded data file {name} is missing.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
