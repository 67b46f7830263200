namespace CommentService.Evaluation;

/// <summary>What a generated reply is, and so whether a moderator would want it held.</summary>
public enum ReplyKind
{
    /// <summary>An insult aimed at the parent's author by name, @mention or exclamation ("Mark is an idiot", "What a moron.").</summary>
    HostileNamed,

    /// <summary>Hostility without a crude word ("Nobody asked you, Mark. Go away.").</summary>
    HostileNonCrude,

    /// <summary>Quotes the parent's words to mock them ("'best film of the decade' lol, what an idiot").</summary>
    MockingQuote,

    /// <summary>Crude and aimed with "you": held with or without the parent in view.</summary>
    HostileDirect,

    /// <summary>Quotes or repeats a crude parent in order to object ("Calling her a 'slut' is not ok").</summary>
    ObjectingQuote,

    /// <summary>Friendly banter with names and "you" ("You're killing me, Sam, brilliant").</summary>
    Banter,

    /// <summary>Ordinary replies, blunt disagreement included.</summary>
    Neutral,

    /// <summary>Answers to a parent whose crude or sexual words are on topic, quoting them.</summary>
    TopicalQuote,
}

/// <summary>One reply to judge, with the comment it answers.</summary>
public sealed record LabelledReply(ReplyKind Kind, bool ShouldHold, string Body, string AuthorName, string ParentBody, string ParentAuthorName);

/// <summary>
/// Generates comment threads with realistic reply chains, deterministically from a seed: a top-level
/// comment, then one to three replies, each answering the one before. Replies are hostile to the person
/// above (by name, by quoting them, with or without crude words), object to a crude parent by quoting it,
/// banter with names and "you", or just answer. Each reply is labelled with whether a moderator would
/// want it held. The phrasing is varied on purpose, and includes hostile replies the rules do not catch
/// ("Who asked, Mark?") and affectionate insults they hold, so the figures are not a closed loop.
/// </summary>
public static class ReplyThreads
{
    private static readonly string[] Names =
    [
        "Mark", "Sam", "Priya", "Tomás", "Aisha", "Jonas", "Mei", "Olu", "Greta", "Ravi", "Chloe", "Dmitri", "Fatima", "Hiroshi",
        "Nadia", "Ben", "Lucía", "Kwame", "Ingrid", "Marco", "Zoe", "Elif", "Sanjay", "Owen", "Rosa", "Theo", "Amara", "Liam",
        "Noor", "Felix", "Hannah", "Yusuf", "Clara", "Mateo", "Ayumi", "Declan", "Leila", "Pavel", "Sofia", "Eamon",
    ];

    private static readonly string[] Surnames = ["Ellis", "Okafor", "Lindqvist", "Moreau", "Haddad", "Kowalski", "Tanaka", "Reyes", "Brennan", "Shah"];

    private sealed record Topic(string Subject, string[] Opinions, string[] Counters, string[] CrudeTopical);

    private static readonly Topic[] Topics =
    [
        new("the film",
            ["The ending felt earned to me, the whole second act builds toward it.", "Honestly the best film of the decade, I have seen it four times.",
             "The soundtrack carried the weaker scenes more than people admit.", "I thought the lead was miscast, she never sells the grief.",
             "The phone call scene is the heart of the whole thing.", "It runs twenty minutes too long and the middle act drags."],
            ["the pacing in the middle is deliberate", "the final shot reframes everything before it", "the score does a lot of quiet work",
             "the supporting cast is what makes it land"],
            ["The sex scenes were handled with real care, nothing gratuitous about them.", "The dialogue is full of fucking this and fucking that, and honestly it works.",
             "It is a film about loneliness, porn and the way people use each other.", "The hospital scenes about her breast cancer were painfully accurate."]),
        new("the book",
            ["The translation reads better than the original, in my view.", "The last hundred pages are the best thing she has written.",
             "I found the narrator unbearable until the halfway point.", "This should be required reading for anyone who works in tech.",
             "The twist was obvious from chapter three.", "The audiobook narrator ruined it for me."],
            ["the narrator is meant to grate at first", "the twist is not really the point", "the footnotes carry half the story",
             "the middle section rewards a second read"],
            ["The memoir is blunt about sex, addiction and shit jobs, which is why it rings true.", "The chapter on rape trials is hard to read but necessary.",
             "The title is a crude joke about dicks, which the author explains in the preface.", "The sex is written plainly and never played for laughs."]),
        new("the recipe",
            ["You should never rinse pasta after cooking it.", "Brown butter makes this twice as good, trust me.",
             "I halved the sugar and it was still far too sweet.", "Cast iron is the only pan worth owning for this.",
             "The resting time is the whole secret, do not skip it.", "Fresh herbs only, dried oregano tastes like dust."],
            ["rinsing works fine for cold noodle salads", "the sugar balances the acidity of the tomatoes", "a steel pan gives a better sear",
             "dried oregano is traditional in a lot of regional cooking"],
            ["My nan called this dish 'pig's balls' and the name stuck in our family.", "The first time I made it I said holy shit out loud, it is that good.",
             "Yes the sauce is called 'sweaty bollocks' in our house, do not ask."]),
        new("the update",
            ["Tabs are clearly better than spaces for indentation.", "This release finally fixed the memory leak that ate my laptop.",
             "The new interface is slower and harder to read.", "Dropping the old plugin system was the right call.",
             "Nobody needs telemetry turned on by default.", "The dark mode is the best part of the update."],
            ["spaces keep diffs stable across editors", "the new interface is faster once it caches", "the plugin system was a security hole",
             "default telemetry is how they found the leak"],
            ["The changelog literally says 'fixed shitty scrolling', which made me laugh.", "The bug report title was 'this crap crashes on launch' and they still fixed it in a day."]),
    ];

    // Crude parents, already approved (a trusted author, or a moderator let them through), that replies quote.
    private static readonly (string Text, string Quote, string Word)[] CrudeParents =
    [
        ("Anyone who liked this is a fucking idiot.", "Anyone who liked this is a fucking idiot", "idiot"),
        ("She only got the part because she is a slut, everyone knows it.", "she is a slut", "slut"),
        ("Honestly you're all idiots for paying to see this.", "you're all idiots", "idiots"),
        ("What a load of shit, the director is a talentless prick.", "the director is a talentless prick", "prick"),
        ("Typical women in these comments, whining bitches the lot of them.", "whining bitches", "bitches"),
        ("The lead actress is a dumb whore and cannot act.", "a dumb whore", "whore"),
        ("People who cook it this way are morons, plain and simple.", "People who cook it this way are morons", "morons"),
        ("The developers are useless retards who never test anything.", "useless retards", "retards"),
    ];

    private static readonly string[] Objections =
    [
        "That's uncalled for.", "There's no need for that.", "Not ok. Disagree all you like but keep it civil.", "Reported.",
        "That is out of line.", "Seriously, not cool.", "Can we not do this here?", "That kind of language has no place in this thread.",
        "Wow, that is really not ok.", "Please don't talk about people like that.",
    ];

    public static IReadOnlyList<LabelledReply> Generate(int threads, int seed)
    {
        var random = new Random(seed);
        var replies = new List<LabelledReply>(threads * 2);
        for (var t = 0; t < threads; t++)
        {
            var topic = Pick(random, Topics);
            var (parentBody, parentAuthor, crudeQuote, crudeWord) = Root(random, topic);
            var depth = 1 + random.Next(3);
            for (var d = 0; d < depth; d++)
            {
                var author = Person(random, exclude: parentAuthor);
                var reply = Reply(random, topic, parentBody, parentAuthor, crudeQuote, crudeWord);
                replies.Add(new LabelledReply(reply.Kind, reply.ShouldHold, reply.Body, author, parentBody, parentAuthor));
                // The next reply answers this one; a crude reply invites an objecting quote.
                (parentBody, parentAuthor, crudeQuote, crudeWord) = (reply.Body, author, reply.CrudeQuote, reply.CrudeWord);
            }
        }
        return replies;
    }

    private static (string Body, string Author, string? CrudeQuote, string? CrudeWord) Root(Random random, Topic topic)
    {
        var author = Person(random, exclude: null);
        var roll = random.NextDouble();
        if (roll < 0.3)
        {
            var crude = Pick(random, CrudeParents);
            return (crude.Text, author, crude.Quote, crude.Word);
        }
        if (roll < 0.45)
        {
            return (Pick(random, topic.CrudeTopical), author, null, null);
        }
        return (Pick(random, topic.Opinions), author, null, null);
    }

    private sealed record Generated(ReplyKind Kind, bool ShouldHold, string Body, string? CrudeQuote = null, string? CrudeWord = null);

    private static Generated Reply(Random random, Topic topic, string parent, string parentAuthor, string? crudeQuote, string? crudeWord)
    {
        var name = FirstName(parentAuthor);
        var phrase = Fragment(random, parent);
        var counter = Pick(random, topic.Counters);
        if (crudeQuote is not null && random.NextDouble() < 0.6)
        {
            return ObjectingQuote(random, parent, crudeQuote, crudeWord!, name);
        }
        if (IsTopical(topic, parent) && random.NextDouble() < 0.6)
        {
            return TopicalQuote(random, parent, phrase, name, counter);
        }
        var roll = random.NextDouble();
        return roll switch
        {
            < 0.14 => HostileNamed(random, name, topic),
            < 0.26 => HostileNonCrude(random, name),
            < 0.36 => MockingQuote(random, phrase),
            < 0.42 => HostileDirect(random, name),
            < 0.62 => Banter(random, name),
            // Agreeing with a crude parent by quoting it is not neutral: quote only a clean one.
            _ => Neutral(random, name, crudeQuote is null ? phrase : null, counter, topic),
        };
    }

    private static Generated HostileNamed(Random random, string name, Topic topic)
    {
        string[] templates =
        [
            $"{name} is an idiot if they think that.", $"Honestly {name}, only a moron would rate {topic.Subject} that highly.",
            $"@{name} what a clown.", $"{name}, that is the worst take I have read here. Idiot.", $"Typical {name}, talking rubbish again. What a moron.",
            $"What an idiot.", $"Only an idiot would write that.", $"{name} is a complete moron, ignore him.", $"Spoken like a true idiot.",
            $"Lol {name} is such a dumbass.", $"{name} is a prick, always has been.", $"Imagine being this stupid.",
            $"{name} you absolute muppet.", $"Ignore {name}, total jerk.", $"What a moron lol.",
            $"{name}, the village idiot of this comment section.", $"@{name} is a moron who has not seen {topic.Subject}.",
        ];
        return Crude(ReplyKind.HostileNamed, Pick(random, templates));
    }

    private static Generated HostileNonCrude(Random random, string name)
    {
        string[] templates =
        [
            $"Nobody asked you, {name}. Go away.", $"Shut up {name}, nobody cares.", $"Get lost, {name}. Nobody wants to hear your opinions.",
            $"{name}, you're clueless. Stop posting.", $"Go away {name}. Nobody asked.", $"Who asked, {name}?", $"Go back to your cave, {name}.",
            $"{name} is pathetic.", $"Just shut up, {name}. Get a life.", $"Kill yourself, {name}.", $"Nobody cares what you think. Log off.",
            $"You're delusional, {name}. Grow up.", $"{name}, do us all a favour and stop talking.", $"Crawl back under your rock, {name}.",
            $"No one asked, {name}. Touch grass.", $"Stop embarrassing yourself, {name}. Nobody cares.",
        ];
        return new(ReplyKind.HostileNonCrude, true, Pick(random, templates));
    }

    private static Generated MockingQuote(Random random, string phrase)
    {
        string[] templates =
        [
            $"\"{phrase}\" lol, what an idiot.", $"> {phrase}\nSpoken like a true moron.", $"\"{phrase}\"? Only a clown would write that.",
            $"Imagine typing \"{phrase}\" and hitting post. Absolute idiot.", $"\"{phrase}\" is the dumbest thing I have read all week, you moron.",
            $"> {phrase}\nWhat a joke.", $"“{phrase}” — what a dumbass take.", $"\"{phrase}\" Jesus, what a moron.",
        ];
        return Crude(ReplyKind.MockingQuote, Pick(random, templates));
    }

    private static Generated HostileDirect(Random random, string name)
    {
        string[] templates =
        [
            $"Fuck off, {name}, you moron.", $"You're an idiot, {name}.", $"{name} you stupid prick, read the article first.",
            $"Shut up you moron.", $"You are such a dumbass, {name}.", $"Go fuck yourself {name}.",
        ];
        return Crude(ReplyKind.HostileDirect, Pick(random, templates));
    }

    private static Generated ObjectingQuote(Random random, string parent, string crudeQuote, string crudeWord, string name)
    {
        var objection = Pick(random, Objections);
        string[] templates =
        [
            $"> {parent}\n{objection}", $"\"{crudeQuote}\"? {objection}", $"Calling people \"{crudeWord}\" is not ok, {name}.",
            $"Did you really just write \"{crudeQuote}\"? {objection}", $"{objection} \"{crudeQuote}\" is not how we talk to each other here.",
            $"Calling anyone {crudeWord} is not ok, whatever you think of it.", $"> {crudeQuote}\n{name}, {objection.ToLowerInvariant()}",
            $"I'm flagging this. \"{crudeQuote}\" has no place here.", $"\"{crudeQuote}\" Wow. Just wow.",
        ];
        return new(ReplyKind.ObjectingQuote, false, Pick(random, templates));
    }

    private static Generated Banter(Random random, string name)
    {
        string[] templates =
        [
            $"You're killing me, {name}, brilliant.", $"{name} you absolute legend, this made my day.", $"Shut up, {name}, this is hilarious 😂",
            $"Ha! {name}, you nailed it.", $"You madman, {name}. I laughed for ten minutes.", $"Damn, {name}, you're good at this.",
            $"You cheeky devil, {name}, I was about to say the same.", $"Oh stop it {name}, you're making me blush 😄",
            $"{name}, you idiot, I spat out my coffee 😂", $"Get out of my head, {name}! Exactly what I was thinking.",
            $"Nobody asked for this much genius, {name} 😂", $"You beautiful nerd, {name}. Thank you for this.",
            $"Haha {name}, you clown, that's exactly it.", $"{name}, you've ruined this film for me forever and I love you for it.",
            $"You're on fire today, {name}.", $"Hell yes, {name}, you get it.",
        ];
        return new(ReplyKind.Banter, false, Pick(random, templates));
    }

    private static Generated Neutral(Random random, string name, string? phrase, string counter, Topic topic)
    {
        string[] templates = phrase is null
            ?
            [
                $"I agree with {name} about {topic.Subject}.", $"Good point. I hadn't thought of it that way.",
                $"{name}, you're wrong about this, and here's why: {counter}.", $"I used to think so too, but {counter}.",
            ]
            :
        [
            $"I agree with {name} about {topic.Subject}.", $"{name}, did you see the longer version? It answers some of that.",
            $"You make a fair point, {name}, though I'd argue {counter}.", $"> {phrase}\nI'm not sure about that. I think {counter}.",
            $"Good point. I hadn't thought of it that way.", $"{name}, you're wrong about this, and here's why: {counter}.",
            $"That's a stupid premise for an argument, {name}, but I see where you're coming from.", $"Respectfully disagree, {name}. {Capitalise(counter)}.",
            $"\"{phrase}\" — yes, exactly this.", $"Same here, {name}. It stayed with me for days.", $"What makes you say that? I felt {counter}.",
            $"You should try it again, {name}, {counter}.", $"I used to think so too, but {counter}.",
        ];
        return new(ReplyKind.Neutral, false, Pick(random, templates));
    }

    private static Generated TopicalQuote(Random random, string parent, string phrase, string name, string counter)
    {
        string[] templates =
        [
            $"> {phrase}\nAgreed, and the quieter scenes were just as honest.", $"\"{phrase}\" is exactly why I recommended it to my sister.",
            $"> {parent}\nFair, {name}, though {counter}.", $"\"{phrase}\" made me laugh out loud, {name}.", $"{name}, \"{phrase}\" is the best summary I've seen.",
        ];
        return new(ReplyKind.TopicalQuote, false, Pick(random, templates));
    }

    private static readonly string[] Insults = ["idiot", "moron", "clown", "dumbass", "prick", "jerk", "muppet", "stupid", "fuck"];

    // A hostile reply that should be held, with the sentence and the word a later reply may quote to object.
    private static Generated Crude(ReplyKind kind, string body)
    {
        foreach (var sentence in body.Split(['.', '!', '?', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var insult in Insults)
            {
                var at = sentence.IndexOf(insult, StringComparison.OrdinalIgnoreCase);
                if (at >= 0 && !sentence.StartsWith('>'))
                {
                    var end = at + insult.Length;
                    while (end < sentence.Length && char.IsLetter(sentence[end]))
                    {
                        end++;
                    }
                    // Quote the few words that end with the insult ("what an idiot"), not what the reply itself quoted.
                    var from = Math.Max(sentence.LastIndexOfAny(['"', '“', '”', '—'], at) + 1, 0);
                    var words = sentence[from..end].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var quote = string.Join(' ', words[Math.Max(0, words.Length - 5)..]).Trim(' ', ',', '?');
                    return new(kind, true, body, quote, sentence[at..end]);
                }
            }
        }
        return new(kind, true, body);
    }

    private static bool IsTopical(Topic topic, string parent) => Array.IndexOf(topic.CrudeTopical, parent) >= 0;

    // A sentence of the parent, or a run of four to eight of its words.
    private static string Fragment(Random random, string parent)
    {
        var sentences = parent.Split(['.', '!', '?', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 0 && !s.StartsWith('>')).ToArray();
        var sentence = sentences.Length == 0 ? parent.Trim() : Pick(random, sentences);
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length <= 8 || random.NextDouble() < 0.4)
        {
            return sentence.Trim('"', '“', '”');
        }
        var length = 4 + random.Next(5);
        var start = random.Next(words.Length - length + 1);
        return string.Join(' ', words[start..(start + length)]).Trim('"', '“', '”', ',');
    }

    private static string Person(Random random, string? exclude)
    {
        while (true)
        {
            var name = Pick(random, Names);
            var full = random.NextDouble() < 0.3 ? $"{name} {Pick(random, Surnames)}" : name;
            if (exclude is null || FirstName(exclude) != name)
            {
                return full;
            }
        }
    }

    private static string FirstName(string author) => author.Split(' ')[0];

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
