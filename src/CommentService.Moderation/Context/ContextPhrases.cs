namespace CommentService.Moderation.Context;

/// <summary>How a hostile phrase has to stand to count as aimed at the person replied to.</summary>
internal enum HostileForm : byte
{
    /// <summary>An order ("shut up", "go away"): at the start of a sentence, or after a name, "just", "please", "you".</summary>
    Imperative,

    /// <summary>A remark ("nobody asked", "who asked"): ending its sentence, or with "you" or the parent's name in it.</summary>
    Remark,

    /// <summary>A description ("clueless", "pathetic"): only with "you" or the parent's name in its sentence.</summary>
    Described,
}

/// <summary>A phrase that is hostile to the person it is said to, though it holds no crude word.</summary>
internal sealed record HostilePhrase(string[] Words, HostileForm Form, bool Severe, string[] NotBefore);

/// <summary>
/// The word lists the reply reading uses, written as the aggressive view spells words (lower case,
/// apostrophes dropped: "dont", "youre" is "you re"). Written for this project; no list was copied.
/// </summary>
internal static class ContextPhrases
{
    public static readonly HostilePhrase[] Hostile =
    [
        .. Imperatives(severe: true, "kill yourself", "kill urself", "kill yourselves", "kys", "go die", "drop dead", "go jump off a bridge", "hope you die"),
        .. Imperatives(severe: false, "shut up", "shut it", "shut your mouth", "go away", "get lost", "sod off", "buzz off", "take a hike",
            "get a life", "get a brain", "grow up", "crawl back", "stop talking", "stop posting", "learn to read", "go troll", "touch grass",
            "cry more", "cope harder", "get over yourself", "stop embarrassing yourself", "keep your opinions to yourself", "do us all a favour",
            "do us all a favor", "go back to your", "log off"),
        .. Phrases(HostileForm.Remark, "nobody asked", "no one asked", "who asked", "nobody cares", "no one cares", "nobody wants to hear",
            "no one wants to hear", "what a joke", "typical troll", "such a troll", "you people", "worst take", "dumbest take", "dumbest thing",
            "stupidest thing", "garbage take", "trash take", "hot garbage take", "embarrassing yourself"),
        .. Phrases(HostileForm.Described, "clueless", "pathetic", "delusional", "deluded", "braindead", "brain dead", "worthless", "a joke",
            "a troll", "a waste of space", "a waste of oxygen", "so dense", "thick as", "not very bright", "hopeless", "insufferable"),
    ];

    /// <summary><see cref="Hostile"/> by first word, so a reply's words are looked up once each.</summary>
    public static readonly Dictionary<string, HostilePhrase[]> HostileByFirstWord =
        Hostile.GroupBy(p => p.Words[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>Words after which an imperative still stands at the head of its clause.</summary>
    public static readonly HashSet<string> ImperativeLeads =
    [
        "just", "please", "pls", "plz", "now", "so", "and", "oh", "you", "mate", "dude", "bro", "lol", "seriously", "honestly", "then", "or", "ok",
        "okay", "well", "simply", "kindly", "maybe", "again", "man", "sir", "lady", "buddy", "pal", "hey", "yeah", "right", "sure",
    ];

    /// <summary>Words that may follow an insult ending an exclamation: "What an idiot lol", "Only a moron would …".</summary>
    public static readonly HashSet<string> ExclamationTails =
    [
        "lol", "lmao", "lmfao", "smh", "honestly", "tbh", "mate", "dude", "bro", "man", "here", "take", "takes", "opinion", "comment", "post",
        "would", "thing", "logic", "argument", "energy",
    ];

    /// <summary>Words that may stand before an insult in an exclamation about the person replied to.</summary>
    public static readonly HashSet<string> ExclamationHeads =
    [
        "what", "a", "an", "such", "only", "typical", "absolute", "absolutely", "total", "totally", "complete", "completely", "utter", "utterly",
        "real", "massive", "huge", "little", "lol", "lmao", "wow", "omg", "oh", "spoken", "like", "true", "imagine", "being", "this", "so", "ok",
        "okay", "sure", "yeah", "right", "fucking", "bloody", "damn", "stupid", "dumb", "ignorant", "pathetic", "clueless", "brainless", "certified",
        "classic", "another", "yet", "more", "of", "the", "ultimate", "biggest", "actual", "literal", "literally", "genuine", "proper",
    ];

    /// <summary>A reply that says one of these objects to what it quotes.</summary>
    public static readonly Dictionary<string, string[][]> Objection = ByFirstWord(
        "not ok", "not okay", "isnt ok", "isnt okay", "not cool", "isnt cool", "uncalled for", "not called for", "unnecessary", "not necessary",
        "no need", "not acceptable", "unacceptable", "inappropriate", "not appropriate", "out of line", "over the line", "crossed a line",
        "crosses a line", "crossed the line", "crosses the line", "report", "reported", "reporting", "flag", "flagged", "flagging", "mods",
        "moderator", "moderators", "dont call", "stop calling", "do not call", "please dont", "can we not", "keep it civil", "be civil",
        "be kind", "be nice", "rude", "offensive", "harassment", "slur", "disgusting", "vile", "tone it down", "no place", "not how we",
        "dont talk", "do not talk", "stop using", "yikes", "why would you", "theres no", "there is no", "not a good look", "not fair",
        "shouldnt", "should not", "cant say", "cannot say", "dont say", "do not say", "hateful", "abusive", "misogynist", "misogynistic",
        "sexist", "racist", "not funny", "not on", "cross the line", "calm down", "chill", "take that back", "apologise", "apologize",
        "is not a word", "no reason to", "never ok", "never okay", "stop it", "not the way", "nobody deserves", "no one deserves");

    /// <summary>A sentence made only of these words repeats a quote with approval ("This.", "So true lol").</summary>
    public static readonly HashSet<string> EndorsementWords =
    [
        "this", "exactly", "agreed", "agree", "so", "true", "well", "said", "facts", "based", "yes", "yep", "yeah", "same", "totally",
        "absolutely", "preach", "lol", "lmao", "haha", "hahaha", "ha", "spot", "on", "correct", "truth", "real", "too", "amen",
        "all", "of", "it", "i", "x", "ditto", "hear", "fr", "lmfao", "right",
    ];

    /// <summary>Phrases that approve what is quoted wherever they stand.</summary>
    public static readonly Dictionary<string, string[][]> Endorsement = ByFirstWord("well said", "couldnt agree more", "so true", "i agree", "agree with", "spot on", "nailed it",
        "said it better", "this is the way", "hear hear", "he s right", "she s right", "they re right", "this right here");

    /// <summary>Warm words that make "you" and a name banter rather than hostility ("you're killing me, Sam, brilliant").</summary>
    public static readonly HashSet<string> FriendlyWords =
    [
        "haha", "hahaha", "hahahaha", "hehe", "brilliant", "genius", "legend", "legendary", "hilarious", "love", "loved", "loving", "lovely", "nailed",
        "perfect", "amazing", "awesome", "fantastic", "wonderful", "beautiful", "gorgeous", "thanks", "thank", "cheers", "congrats",
        "congratulations", "respect", "kudos", "bravo", "superb", "delightful", "adorable", "sweet", "proud",
    ];

    /// <summary>Laughing and loving emoji, as code points.</summary>
    public static readonly int[] FriendlyEmoji = [0x1F602, 0x1F923, 0x1F604, 0x1F606, 0x1F605, 0x1F60D, 0x1F970, 0x2764, 0x1F44F, 0x1F64C, 0x1F60A, 0x1F601, 0x1F44D];

    private static IEnumerable<HostilePhrase> Imperatives(bool severe, params string[] phrases) =>
        phrases.Select(p => new HostilePhrase(p.Split(' '), HostileForm.Imperative, severe, ImperativeExceptions(p)));

    private static IEnumerable<HostilePhrase> Phrases(HostileForm form, params string[] phrases) =>
        phrases.Select(p => new HostilePhrase(p.Split(' '), form, false, p.StartsWith("no", StringComparison.Ordinal) || p == "who asked" ? ["for", "about", "if", "whether", "me"] : []));

    // Words that turn an order into something else when they follow it: "shut up and take my money",
    // "get lost in the story", "grow up with", "log off at".
    private static string[] ImperativeExceptions(string phrase) => phrase switch
    {
        "shut up" => ["and"],
        "get lost" => ["in", "inside", "among", "for"],
        "grow up" => ["with", "in", "on", "around", "watching", "to", "and"],
        "log off" => ["at", "for", "early"],
        "crawl back" => ["into"],
        _ => [],
    };

    private static Dictionary<string, string[][]> ByFirstWord(params string[] phrases) =>
        phrases.Select(p => p.Split(' ')).GroupBy(w => w[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
}
