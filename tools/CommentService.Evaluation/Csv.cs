using System.Text;

namespace CommentService.Evaluation;

/// <summary>A small RFC 4180 reader: quoted fields with doubled quotes and line breaks inside them.</summary>
public static class Csv
{
    /// <summary>The rows of a file as dictionaries keyed by the header's column names.</summary>
    public static List<Dictionary<string, string>> ReadWithHeader(string path)
    {
        var rows = Read(File.ReadAllText(path, Encoding.UTF8));
        if (rows.Count == 0)
        {
            return [];
        }
        var header = rows[0];
        return rows.Skip(1)
            .Where(r => r.Count == header.Count)
            .Select(r => header.Select((name, i) => (name, value: r[i])).ToDictionary(p => p.name, p => p.value))
            .ToList();
    }

    public static List<List<string>> Read(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            i = 1;
        }
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }
        return rows;
    }
}
