namespace CommentService.Moderation.Text;

/// <summary>What happened to a character on its way from the original text into a view.</summary>
[Flags]
public enum CharTraits : ushort
{
    None = 0,

    /// <summary>Written as an HTML entity (&amp;#117; for u).</summary>
    Entity = 1 << 0,

    /// <summary>An invisible character (zero-width space or joiner, soft hyphen, ...) stood right before it.</summary>
    Hidden = 1 << 1,

    /// <summary>A compatibility form: fullwidth, mathematical alphanumeric, enclosed, superscript.</summary>
    Compat = 1 << 2,

    /// <summary>A Cyrillic, Greek or other letter that looks Latin.</summary>
    LookAlike = 1 << 3,

    /// <summary>Accents or combining marks were removed.</summary>
    Diacritic = 1 << 4,

    /// <summary>A digit or symbol standing for a letter (aggressive view).</summary>
    Leet = 1 << 5,

    /// <summary>A '*' standing for any letter (aggressive view).</summary>
    Masked = 1 << 6,

    /// <summary>Rejoined from letters separated by spaces, dots, dashes or underscores (aggressive view).</summary>
    Separated = 1 << 7,

    /// <summary>A run of the same letter was collapsed into it (aggressive view).</summary>
    Repeated = 1 << 8,

    /// <summary>The traits that show someone disguised a word on purpose (repeated letters are emphasis, not disguise).</summary>
    Disguise = Entity | Hidden | Compat | LookAlike | Diacritic | Leet | Masked | Separated,
}
