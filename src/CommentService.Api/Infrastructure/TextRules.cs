using FluentValidation;

namespace CommentService.Api.Infrastructure;

/// <summary>Character rules shared by every text field the API stores.</summary>
public static class TextRules
{
    /// <summary>
    /// NUL and other C0/C1 control characters (newline and tab allowed where asked), and lone UTF-16
    /// surrogates, which PostgreSQL's UTF-8 text cannot hold and which no real text contains.
    /// </summary>
    public static bool HasForbiddenCharacters(string value, bool allowNewlines)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
                return true;
            }
            if (char.IsLowSurrogate(c))
            {
                return true;
            }
            if (char.IsControl(c) && !(allowNewlines && c is '\n' or '\r' or '\t'))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>The one validation rule for stored text fields: present, bounded, clean.</summary>
public static class TextRuleExtensions
{
    /// <summary>
    /// Non-blank, at most <paramref name="maxLength"/> characters, no control characters (newlines and
    /// tabs allowed when <paramref name="multiline"/>) and no lone surrogates. Add When(...) for optional fields.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> CleanText<T>(this IRuleBuilderInitial<T, string?> rule, string field, int maxLength, bool multiline = false) =>
        rule.Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage($"{field} is required.")
            .MaximumLength(maxLength)
            .Must(s => !TextRules.HasForbiddenCharacters(s!, multiline))
            .WithMessage($"{field} contains control characters or invalid Unicode.");
}
