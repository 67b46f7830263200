using System.Buffers;
using System.Text.RegularExpressions;

namespace CommentService.Moderation.Spam;

/// <summary>
/// Solicitation: a comment that asks the other readers to do something for its author rather than talk about
/// the article. The asks comment spam is made of, on any site: engagement bait (subscribe, like and share,
/// vote, "help me reach 100 subscribers"), redirection off the page without a link ("just search X on
/// Google", "type in …", "look her name up"), self-promotion ("I just released my first song, take a
/// listen"), money without risk ("income without any risk from bonus deals", "I've made 600 quid so far"),
/// and a phone number offered with an invitation ("talk to me", "call me").
/// <para>
/// Each cue alone is weak or moderate, because readers do say "please share", "look it up" or "subscribe to
/// the newsletter". What gives solicitation away is cues of different kinds together: an ask with a plea or an
/// address to the whole crowd ("everyone please vote"), an ask with the author's own content or an off-site
/// link, a phone number with an invitation. So besides one flag per cue, the phase adds a
/// <c>spam.solicitation</c> flag that grows with the number of distinct kinds present, counting the kinds the
/// link and commercial phases found before it (an off-site link, phone number or e-mail address, a money offer,
/// self-promotion). A plea or a crowd address never counts on its own.
/// </para>
/// <para>Every rule has a few literal substrings one of which any match must contain; a rule whose substrings
/// are all absent is skipped without running its expression, so ordinary prose costs a few vectorised scans.</para>
/// </summary>
public sealed class SolicitationPhase : IModerationPhase
{
    public const string PhaseName = "spam.solicitation";

    public string Name => PhaseName;

    /// <summary>What kind of cue a rule finds; the combination counts distinct kinds.</summary>
    public enum Kind
    {
        /// <summary>Asks for engagement: subscribe, like, share, vote, thumbs up.</summary>
        Ask,

        /// <summary>A follower, subscriber or view goal the readers are to help reach.</summary>
        Goal,

        /// <summary>The author's own channel, song, video or page.</summary>
        Self,

        /// <summary>Sends readers off the page without a link: search for, type in, look up.</summary>
        Redirect,

        /// <summary>Money without risk or effort, earnings testimonials.</summary>
        Money,

        /// <summary>An invitation to contact the author off the site.</summary>
        Contact,

        /// <summary>A general call to action: check out, take a listen, watch, come see.</summary>
        Action,

        /// <summary>Begging: please, I would appreciate, give me a chance. Counts only with another kind.</summary>
        Plea,

        /// <summary>Addressing the whole crowd: hey guys, everyone please. Counts only with another kind.</summary>
        Crowd,

        /// <summary>A way off the site found by the link and commercial phases: an off-site link, a phone number, an e-mail address. Counts only with another kind.</summary>
        Channel,
    }

    /// <summary>One cue: its kind, reason code, note, score, expression and the literals a match must contain.</summary>
    public sealed record Rule(Kind Kind, string Reason, string Note, double Score, Regex Pattern, IReadOnlyList<SearchValues<string>> Gate);

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    // Gates as in CommercialPhase: "a|b & c|d" needs one of a, b and one of c, d.
    private static Rule R(Kind kind, string reason, string note, double score, string gate, string pattern) =>
        new(kind, reason, note, score, new Regex(pattern, Options, TimeSpan.FromMilliseconds(250)), CommercialPhase.Gates(gate));

    internal static bool MayMatch(ReadOnlySpan<char> lower, IReadOnlyList<SearchValues<string>> gate) => LiteralGate.MayMatch(lower, gate);

    private const string Sub = @"(?:subscribe|subcribe|suscribe|subscrib|subsribe|subscibe|subscirbe|subscrible|sucscribe)";
    private const string Metric = @"(?:subscribers?|subs|followers|views|likes|fans|hits|votes|thumbs\s+ups?)";
    private const string Count = @"(?:\d[\d,.]*\s*(?:k|m|million|thousand|billion)?|(?:a|one|two|three|five|ten|a\s+few)\s+(?:hundred|thousand|million|billion))";

    /// <summary>The cues, matched against the lower-cased <see cref="SpamText"/>.</summary>
    public static IReadOnlyList<Rule> Rules { get; } =
    [
        // --- engagement bait ---
        // "subscribe" as a request: not "I subscribed", "subscribers", "how do I subscribe", "you should subscribe".
        R(Kind.Ask, "spam.engagement_bait", "asks readers to subscribe", 0.35, "subsc|subcr|suscr|subsr|subsi|sucsc",
            @"(?<!\b(?:i|to|you|u|will|i'?ll|should|gonna|did|didn'?t|not|can|do|would|i'?d|might|wanna|must|don'?t|never|just|already|to\s+not)\s+)\b" + Sub + @"\b(?!\s+(?:button|box|count|feature|list|form|link|page)\b)"),
        R(Kind.Ask, "spam.engagement_bait", "asks readers to like or share", 0.4,
            @"please|plz|pls|pleas|share|thumb|copy & \bplease\b|\bplz\b|\bpls\b|\bpleas\b|\bpleace\b|share\b|\bshare|\bcopy\b",
            @"\b(?:please|plz|pls|pleas|pleace)\s*,?\s+(?:like|share|rate|thumbs?\s+(?:it\s+|this\s+)?up)(?:\s+(?:this|it|my|our|and|&|n)\b|\s*[!.,]|\s*$)"
            + @"|\b(?:like|likes|share|shares|thumbs?\s+up|views?)\s*,?\s+(?:please|plz|pls)\b"
            + @"|\b(?:like|thumbs?\s+up)\s*(?:&|and|n|\+|/)\s*share\b|\bshare\s*(?:&|and|n|\+|/)\s*(?:like|vote)\b"
            + @"|\bshare\s+(?:everyone|every\s+one|everybody|with\s+every(?:one|body)|if\s+you|to\s+(?:vote|win|help))\b|\bcopy\s+and\s+paste\s+this\b"),
        R(Kind.Ask, "spam.engagement_bait", "asks readers to like or share", 0.4, "page|pic|photo|status|post",
            @"\b(?:like|share)\s+(?:this|my|our)\s+(?:page|pic|picture|photo|status|fan\s*page|post\s+on\s+(?:facebook|fb|instagram|ig))\b"),
        R(Kind.Ask, "spam.engagement_bait", "vote campaign", 0.3, "vote",
            @"\bvote\s+for\s+(?:me|us|my|our)\b|\b(?:please|plz|pls|go|everyone|everybody|guys|do)\s+vote\b(?!\s+(?:on|in|at)\s+(?:the|this|that)\s+(?:proposal|rfc|discussion|poll\s+above|page))|\bvote\s+(?:for\s+)?(?:\w+\s+){0,2}(?:daily|every\s*day|everyday)\b|\bvote\s+and\s+share\b"),
        // --- goals: the readers are to lift the author's (or a campaign's) numbers ---
        R(Kind.Goal, "spam.engagement_bait", "subscriber goal", 0.5, @"sub|follower & \bsubs\b|\bsubscriber|\bfollower",
            @"\b(?:reach|reaching|hit|hitting|get|getting|gain|gaining|at|to|have)\s+(?:to\s+)?(?:over\s+)?" + Count + @"\s+(?:more\s+)?(?:subscribers|subs|followers)\b"
            + @"|\b(?:my|our)\s+(?:first|\d+(?:st|nd|rd|th)|hundredth|thousandth)\s+(?:subscriber|follower)s?\b"
            + @"|\b(?:got|get|gain|have)\s+(?:some|a\s+few|more)\s+(?:subs|subscribers|followers)\b"),
        R(Kind.Goal, "spam.engagement_bait", "view campaign", 0.5,
            @"help|need & view|like|vote|sub|follower|thumb|fans|hits & \bsubscriber|\bsubs\b|\bfollowers\b|\bviews\b|\blikes\b|\bfans\b|\bhits\b|\bvotes\b|\bthumbs\b",
            @"\bhelp\b[^.!?\n]{0,60}?\b(?:reach|get|hit|gain|getting|hitting|reaching|be\s+the\s+first)\b[^.!?\n]{0,60}?" + Count + @"\s+(?:more\s+)?" + Metric + @"\b"
            + @"|\b(?:we|i|she|he|they|it)\s+(?:really\s+|still\s+|only\s+)?(?:need|needs)\s+(?:more\s+|" + Count + @"\s+(?:more\s+)?)" + Metric + @"\b"),
        // --- redirection without a link ---
        // Spelled-out search instructions: "just do a search on Google", "type in "name"", "open YouTube and type".
        R(Kind.Redirect, "spam.redirect", "tells readers what to search for", 0.45, "search|type|google|tube",
            @"\b(?:do\s+a\s+(?:quick\s+)?search|search(?:\s+for\s+(?:it|them|us|me|him|her))?|type(?:\s+in)?)\s+(?:on|in|at|into)\s+(?:google|youtube|you\s+tube|yt|bing|facebook|fb|instagram|itunes|spotify|amazon)\b"
            + @"|\b(?:google|search(?:\s+for)?|type\s+in|type)\s*[:(]?\s*[""“]"
            + @"|\bopen\s+(?:google|youtube|you\s+tube)\s+(?:and\s+)?(?:type|search|look)|\bgo\s+(?:to|on)\s+(?:google|youtube|you\s+tube)\s+(?:and\s+)?(?:type|search|look)"),
        // Looser forms readers also use in arguments ("look it up on the internet"), so they weigh less.
        R(Kind.Redirect, "spam.redirect", "sends readers to look something up", 0.3, "look|google|search|type",
            @"\blook\s+(?:it\s+|them\s+|him\s+|her\s+|us\s+|me\s+)?up\s+(?:on|in)\s+(?:google|youtube|you\s+tube|the\s+internet|the\s+web|facebook)\b|\bgoogle\s+it\b"
            + @"|\blook\s+(?:up\s+)?(?:her|his|their|my|our)\s+(?:name|channel|page|band|music|stuff)\b"
            + @"|\b(?:please|plz|pls|just|go|simply)\s+(?:look\s+up|search\s+(?:for\s+)?|type\s+in|google)\s+(?!the\s+(?:word|term|definition)\b)\w"),
        // "link in bio": the destination is kept off the page on purpose.
        R(Kind.Redirect, "spam.redirect", "points readers to a link elsewhere", 0.35, "link & bio|profile|description|channel|comment",
            @"\blinks?\s+(?:is\s+|are\s+)?(?:in|on)\s+(?:my|the|our)?\s*(?:bio|profile|description|channel|first\s+comment|comments?\s+below)\b"),
        // --- self-promotion the commercial phase does not spell out ---
        R(Kind.Self, "spam.self_promotion", "presents the author's own work", 0.3, "made|shared|upload|release|posted|started|wrote|record|created|dropped|launch|opened|put & song|video|vid|channel|track|remix|cover|playlist|rap|mixtape|album|beat|game|app|vlog|podcast|single|music|website|shop|store|ebook",
            @"\b(?:i|we)(?:'ve|\s+have|\s+just|\s+recently|'m|\s+am)?\s+(?:just\s+|finally\s+|recently\s+)?(?:made|shared|uploaded|uploading|released|posted|started|wrote|recorded|created|dropped|launched|opened|put\s+up)\s+(?:a|an|my|our|this|some)\s+(?:(?:new|first|own|brand\s+new|little|short|latest|original|youtube|yt)\s+)*(?:song|video|vid|channel|track|remix|cover|playlist|rap|mixtape|album|beat|game|app|vlog|podcast|single|music|website|shop|store|ebook)s?\b"),
        R(Kind.Self, "spam.self_promotion", "presents the author's own work", 0.25, "playlist|tube",
            @"\b(?:this\s+is\s+|it'?s\s+|check\s+)?my\s+(?:new\s+|own\s+)?playlist\b|\bnew\s+to\s+(?:youtube|you\s+tube)\b|\b(?:small|new|upcoming|aspiring)\s+youtuber\b"),
        // --- money without risk ---
        R(Kind.Money, "spam.money_scheme", "money without risk", 0.45, "risk|invest|bonus|matched",
            @"\b(?:income|money|cash|profits?|earnings?)\s+(?:with\s*out|without|with\s+no|with\s+zero|free\s+of)\s+(?:any\s+)?(?:financial\s+|real\s+)?(?:risk|investment|investing)\b"
            + @"|\bwith\s*out\s+(?:any\s+)?(?:financial\s+)?risk\b|\b(?:no|zero)[- ]risk\s+(?:income|money|profits?|earnings)\b"
            + @"|\brisk[- ]free\s+(?:income|money|profits?|earnings|bets?|betting)\b|\b(?:matched\s+betting|bonus\s+(?:deals|bets)|sign[- ]?up\s+bonuses)\b"
            + @"|\b(?:earn|make|making|earning)\b[^.!?\n]{0,30}\bwithout\s+(?:any\s+)?investment\b"),
        R(Kind.Money, "spam.money_scheme", "earnings testimonial", 0.3, "made|earn|generat|got|pulled|cashed|receiv & $|€|£|quid|dollar|buck|pound|euro|usd|gbp",
            @"\b(?:i|i'?ve|i\s+have|we'?ve)\s+(?:already\s+|now\s+)?(?:made|earned|generated|got|received|pulled\s+in|cashed\s+out)\s+(?:about\s+|around\s+|over\s+|nearly\s+|almost\s+|roughly\s+)?(?:[$€£]\s?\d[\d,.]*\s*k?|\d[\d,.]*\s*k?\s*(?:quid|dollars|bucks|pounds|euros|usd|gbp))(?:\s+(?:so\s+far|thus\s+far|already|in\s+(?:a|one|my\s+first)\s+(?:day|week|month)|a\s+(?:day|week|month)|per\s+(?:day|week|month)))?"),
        // --- contact ---
        R(Kind.Contact, "spam.contact", "invites readers to contact the author", 0.15,
            @"talk|call|text|message|hit|inbox|ring|whats & \btalk\b|\bcall\b|\btext\b|\bmessage\b|\bmsg\b|\bhit\b|\binbox\b|\bring\b|\bwhats|\bcontact\b & \bme\b",
            @"\b(?:talk\s+to\s+me|call\s+me|text\s+me|message\s+me|msg\s+me|hit\s+me\s+up|inbox\s+me|ring\s+me|whats\s*app\s+me|contact\s+me)\b"),
        // --- general calls to action (count only with another kind) ---
        R(Kind.Action, "spam.call_to_action", "call to action", 0, "check|chek|listen|watch|visit|come|go|click|join|download|follow|see|take|have|give",
            @"\b(?:check|chek|chk)\s*(?:it\s+|this\s+|them\s+|me\s+|us\s+)?out\b|\b(?:take|have|give\s+(?:it|us|me|this))\s+a\s+(?:listen|look)\b|\blisten\s+(?:live\s+)?(?:at|here|to\s+(?:it|this|my|our))\b"
            + @"|\b(?:watch|see)\s+(?:it\s+)?here\b|\b(?:come|go)\s+(?:and\s+)?(?:check|watch|see|listen|visit|join)\b|\bvisit\s+(?:us|me|my|our|this|the\s+(?:site|website|page|link))\b"
            + @"|\b(?:join|download)\s+(?:us|now|here|it\s+now|for\s+free|free)\b|\bfollow\s+(?:me|us|this|my|our)\b"),
        // --- intensifiers (count only with another kind) ---
        R(Kind.Plea, "spam.plea", "begs the readers", 0, "plea|plz|pls|plis|appreciat|grateful|mean|chance|help|advance|beg",
            @"\b(?:please|plz|pls|plis|pleas|pleace)\b|\b(?:would|will|i'?d)\s+(?:really\s+|truly\s+|greatly\s+)?(?:appreciate|be\s+(?:very\s+|so\s+|really\s+)?grateful)|\bmean\s+(?:a\s+lot|so\s+much|the\s+world)\b|\bgive\s+(?:me|us|him|her)\s+a\s+chance\b|\bhelp\s+(?:me|us)\b|\bthanks\s+in\s+advance\b|\bi\s+beg\b"),
        R(Kind.Crowd, "spam.crowd", "addresses the whole crowd", 0, "guys|every|people|y'all|yall|all|fans|attention|ladies",
            @"(?:^|[.!?:;]\s*|\b(?:hey|hi|hello|yo|ok|okay|attention|so|and|also|dear)\s*,?\s+)(?:you\s+)?(?:guys|everyone|everybody|every\s+one|people|y'?all|all\s+of\s+you|fans|ladies(?:\s+and\s+gentlemen)?)\b(?!\s+(?:who|that|are|is|were|was|have|has|will|would|should|seem|know|think|say|said|like|love|hate|want|need|do|did|does|can|could|in|on|at|of)\b)"
            + @"|,\s*(?:everyone|everybody|guys|y'?all|people)\s*(?:[!.]|$)|\b(?:everyone|everybody)\s*[,!]?\s*(?:please|plz|pls)\b|\battention\s*[:!]"),
    ];

    /// <summary>Score of the combination flag by the number of distinct kinds present (index = count).</summary>
    public static IReadOnlyList<double> CombinationScores { get; } = [0, 0, 0.2, 0.35, 0.5, 0.6];

    /// <summary>What a frame in which engagement words ask nothing of the readers leaves out of the classifier.</summary>
    public enum FrameKind
    {
        /// <summary>The author reports what they did or will do ("I'll check it out", "shared this with my club").</summary>
        Report,

        /// <summary>A question about how to do it ("how do I subscribe?"): the sentence must end with a question mark.</summary>
        Question,

        /// <summary>A recommendation of someone else's work ("if you liked this, check out …"): only its looking verbs.</summary>
        Recommendation,

        /// <summary>Subscribing to the site itself ("subscribe to the newsletter").</summary>
        Site,
    }

    /// <summary>One frame: its kind, expression and the literals a match must contain.</summary>
    public sealed record Frame(FrameKind Kind, Regex Pattern, IReadOnlyList<SearchValues<string>> Gate);

    private static Frame F(FrameKind kind, string gate, string pattern) =>
        new(kind, new Regex(pattern, Options, TimeSpan.FromMilliseconds(250)), CommercialPhase.Gates(gate));

    // Frames matter only where engagement words are.
    private static readonly LiteralGate EngagementGate =
        CommercialPhase.Gates("check|chek|subscri|suscri|subcri|sign|shar|google|look|search|watch|vot|follow|visit|typ|click|join|stream|listen|pleas|plz|pls|comment");

    private const string Engagement = @"(?:check|chek|subscri|suscri|sign|shar|google|look|search|watch|vot|follow|visit|typ|click|join|stream|listen)\w*";

    /// <summary>
    /// Frames in which engagement words ask nothing of the readers. The classifier learned those words on a platform
    /// where they are always requests, so inside these frames it does not read them (<see cref="SpamSignals.NeutralWords"/>)
    /// and the cues above do not count them; everything else in the comment still counts.
    /// </summary>
    public static IReadOnlyList<Frame> Frames { get; } =
    [
        F(FrameKind.Report, @"i |i'|i’|we & \bcheck|\bchek|\bsubscri|\bsuscri|\bsign|\bshar|\bgoogle|\blook|\bsearch|\bwatch|\bvot|\bfollow|\bvisit|\btyp|\bclick|\bjoin|\bstream|\blisten",
            @"\b(?:i|we|i['’]ll|we['’]ll|i['’]ve|we['’]ve|i['’]d|we['’]d|i['’]m|i\s+am|we\s+are|we['’]re)\s+(?:(?:just|already|definitely|totally|certainly|def|also|then|now|so|really|might|will|would|have|had|am|was|were|gonna|going\s+to|have\s+to|got\s+to|need\s+to|want\s+to|wanna|should|must|never|not|to|go|gotta|finally|recently|immediately|actually|probably|usually|often|sometimes|first|even)\s+){0,3}" + Engagement),
        F(FrameKind.Report, "subscribed|shared|signed|voted|followed|checked|googled|watched|liked|joined|visited|searched",
            @"(?:^|[.!?\n]\s*)(?:just\s+|already\s+|finally\s+)?(?:subscribed|shared|signed\s+up|voted|followed|checked|googled|watched|liked|joined|visited|searched)\b"),
        // "please don't spoil it", "please stop": a plea not to do something asks for no engagement.
        F(FrameKind.Report, "please|plz|pls", @"\b(?:please|plz|pls)\s*,?\s+(?:do\s+not|don['’]?t|dont|stop|no\s+more|never)\b"),
        F(FrameKind.Question, "?",
            @"\b(?:how|where|when|what|why|which)\s+(?:do|does|can|could|would|should|did|is|are|to)\b|\b(?:can|could|do|should|may|did|will)\s+(?:i|we|you|anyone|anybody|someone)\b|\b(?:does|did|has)\s+any(?:one|body)\b|\bis\s+(?:there|it)\b"),
        F(FrameKind.Recommendation, "if you|you|out",
            @"\bif\s+(?:you|anyone|anybody|someone|people)\s+(?:liked|enjoyed|loved|like|enjoy|love|likes|enjoys|loves|wants?|wanna|are\s+into|['’]re\s+into|is\s+into|are\s+interested|['’]re\s+interested|is\s+interested|needs?)\b"
            + @"|\byou\s+(?:should|might|may|could|would|['’]d|must|have\s+to|need\s+to|ought\s+to)\s+(?:also\s+|definitely\s+|really\s+|totally\s+|absolutely\s+)?(?:check|watch|read|see|look|try|listen|visit|google|search)\b"
            + @"|\b(?:check|chek)\s+out\s+(?:the|his|her|their|its|that)\b"),
        F(FrameKind.Site, "subscri|sign",
            @"\b(?:subscrib\w*|sign(?:ed)?\s+up|signing\s+up)\s+(?:to|for)\s+(?:the|this|your)\s+(?:(?:blog|site|website)['’]?s?\s+)?(?:newsletter|blog|site|website|feed|rss(?:\s+feed)?|mailing\s+list|podcast|reviews|comments|thread|updates|posts|e-?mails?)\b"),
    ];

    // Engagement vocabulary a frame neutralises; a recommendation only its looking verbs.
    private static bool IsEngagementWord(string w, FrameKind frame) => frame == FrameKind.Recommendation
        ? w is "check" or "chek" or "checking" or "out" or "watch" or "read" or "look" or "visit" or "google" or "search" or "listen" or "up"
        : w.StartsWith("check", StringComparison.Ordinal) || w.StartsWith("subscri", StringComparison.Ordinal) || w.StartsWith("suscri", StringComparison.Ordinal)
            || w.StartsWith("shar", StringComparison.Ordinal) || w.StartsWith("follow", StringComparison.Ordinal) || w.StartsWith("vot", StringComparison.Ordinal)
            || w.StartsWith("click", StringComparison.Ordinal) || w.StartsWith("visit", StringComparison.Ordinal) || w.StartsWith("search", StringComparison.Ordinal)
            || w.StartsWith("google", StringComparison.Ordinal) || w.StartsWith("watch", StringComparison.Ordinal) || w.StartsWith("look", StringComparison.Ordinal)
            || w.StartsWith("sign", StringComparison.Ordinal) || w.StartsWith("join", StringComparison.Ordinal) || w.StartsWith("comment", StringComparison.Ordinal)
            || w.StartsWith("stream", StringComparison.Ordinal) || w.StartsWith("listen", StringComparison.Ordinal)
            || w is "chek" or "out" or "up" or "please" or "plz" or "pls" or "sub" or "subs" or "typed" or "type";

    /// <summary>Finds the frames of this run once and records their engagement words in <see cref="SpamSignals.NeutralWords"/>.</summary>
    internal static void FindNeutralWords(SpamSignals signals)
    {
        if (signals.NeutralWordsFound)
        {
            return;
        }
        signals.NeutralWordsFound = true;
        signals.Recommends = FindNeutralWords(signals.Text, signals.NeutralWords);
    }

    /// <summary>
    /// The engagement words of a comment used in a frame that asks nothing of the readers, in order, added to
    /// <paramref name="neutral"/>; returns whether the comment recommends someone else's work.
    /// </summary>
    public static bool FindNeutralWords(SpamText text, List<(int Start, int Length)> neutral)
    {
        var recommends = false;
        var lower = text.Lower;
        var span = lower.AsSpan();
        if (!MayMatch(span, EngagementGate))
        {
            return false;
        }
        foreach (var frame in Frames)
        {
            if (!MayMatch(span, frame.Gate))
            {
                continue;
            }
            Match m;
            try
            {
                m = frame.Pattern.Match(lower);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }
            for (var tried = 0; m.Success && tried < MatchesTried; tried++, m = m.NextMatch())
            {
                // A report or recommendation reaches to the end of its clause, a question to the end of its sentence.
                var start = m.Index;
                var end = frame.Kind == FrameKind.Site ? m.Index + m.Length : ClauseEnd(lower, m.Index + m.Length, frame.Kind == FrameKind.Question);
                if (frame.Kind == FrameKind.Question && (end >= lower.Length || lower[end] != '?'))
                {
                    continue;
                }
                if (frame.Kind == FrameKind.Recommendation)
                {
                    // "if you like rap, check out my channel" recommends the author's own work.
                    start = ClauseStart(lower, m.Index);
                    end = ClauseEnd(lower, m.Index + m.Length, sentence: true);
                    if (OwnWork.IsMatch(lower.AsSpan(start, end - start)))
                    {
                        continue;
                    }
                    recommends = true;
                }
                foreach (var token in text.WordList)
                {
                    if (token.Start >= start && token.Start < end && IsEngagementWord(token.Value, frame.Kind)
                        && !neutral.Contains((token.Start, token.Length)))
                    {
                        neutral.Add((token.Start, token.Length));
                    }
                }
            }
        }
        neutral.Sort((a, b) => a.Start.CompareTo(b.Start));
        return recommends;
    }

    private static readonly Regex OwnWork = new(@"\b(?:my|our|me|us|mine|ours)\b", Options);

    // Where the clause (or sentence) that contains position 'from' ends: the next , ; : . ! ? or line break.
    private static int ClauseEnd(string lower, int from, bool sentence)
    {
        for (var i = from; i < lower.Length; i++)
        {
            var c = lower[i];
            if (c is '.' or '!' or '?' or '\n' || !sentence && c is ',' or ';' or ':')
            {
                // A dot inside a word or number ("3.5", "e.g") does not end anything.
                if (c == '.' && i + 1 < lower.Length && char.IsLetterOrDigit(lower[i + 1]))
                {
                    continue;
                }
                return i;
            }
        }
        return lower.Length;
    }

    private static int ClauseStart(string lower, int from)
    {
        for (var i = from - 1; i >= 0; i--)
        {
            if (lower[i] is '.' or '!' or '?' or '\n')
            {
                return i + 1;
            }
        }
        return 0;
    }

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var signals = SpamSignals.Of(context);
        var text = signals.Text;
        var lower = text.Lower;
        var span = lower.AsSpan();
        var flags = new List<ModerationFlag>();
        Span<bool> kinds = stackalloc bool[(int)Kind.Channel + 1];
        // Spans (in the original body) of the cues counted so far: a phrase counts once, as its first kind
        // ("please check out my channel" is one self-promotion, not a plea, an action and a self-promotion).
        var taken = new List<(int Start, int End)>();
        FindNeutralWords(signals);
        foreach (var (start, length) in signals.NeutralWords)
        {
            var (from, size) = text.ToOriginal(start, length);
            taken.Add((from, from + size));
        }

        // What the earlier phases found counts as a kind too.
        foreach (var f in signals.Flags)
        {
            Kind? kind = f.Reason switch
            {
                "spam.link" when f.Score >= 0.1 => Kind.Channel,
                "spam.shortener" or "spam.obfuscated_link" or "spam.link_ad" => Kind.Channel,
                "spam.self_promotion" => f.Note is "like bait" or "followers for sale" ? Kind.Ask : Kind.Self,
                "spam.phone" => Kind.Channel,
                "spam.contact" => f.Note == "email address" ? Kind.Channel : Kind.Contact,
                "spam.commercial" when f.Score >= 0.3 => Kind.Money,
                _ => null,
            };
            if (kind is { } k)
            {
                kinds[(int)k] = true;
                if (f.Start is { } s && f.Length is { } l && k is not Kind.Channel)
                {
                    taken.Add((s, s + l));
                }
            }
        }

        (int Start, int Length)? first = null;
        foreach (var rule in Rules)
        {
            // Intensifiers (pleas, crowd addresses, calls to action) only count beside a substantive cue.
            if (rule.Score == 0 && (kinds[(int)rule.Kind] || !Substantive(kinds)) || !MayMatch(span, rule.Gate))
            {
                continue;
            }
            if (FirstFreeMatch(rule.Pattern, text, signals.Links, taken) is not { } m)
            {
                continue;
            }
            kinds[(int)rule.Kind] = true;
            var (start, length) = text.ToOriginal(m.Index, m.Length);
            taken.Add((start, start + length));
            if (rule.Score > 0)
            {
                first ??= (m.Index, m.Length);
                flags.Add(text.Flag(rule.Reason, Name, rule.Score, m.Index, m.Length, rule.Note));
            }
        }

        var substantive = Substantive(kinds);
        var count = 0;
        for (var k = 0; k < kinds.Length; k++)
        {
            count += kinds[k] ? 1 : 0;
        }
        if (substantive && count >= 2)
        {
            var names = new List<string>(count);
            for (var k = 0; k < kinds.Length; k++)
            {
                if (kinds[k])
                {
                    names.Add(((Kind)k).ToString().ToLowerInvariant());
                }
            }
            var score = CombinationScores[Math.Min(count, CombinationScores.Count - 1)];
            var (start, length) = first ?? (0, text.Text.Length);
            flags.Add(text.Flag("spam.solicitation", Name, score, start, length, $"solicits the readers: {string.Join(" + ", names)}"));
        }
        return ValueTask.FromResult(signals.Report(flags));
    }

    private static bool Substantive(ReadOnlySpan<bool> kinds) =>
        kinds[(int)Kind.Ask] || kinds[(int)Kind.Goal] || kinds[(int)Kind.Self] || kinds[(int)Kind.Redirect] || kinds[(int)Kind.Money] || kinds[(int)Kind.Contact];

    /// <summary>At most this many matches of one rule are tried for one outside links and the cues already taken.</summary>
    private const int MatchesTried = 4;

    private static Match? FirstFreeMatch(Regex pattern, SpamText text, IReadOnlyList<FoundLink> links, List<(int Start, int End)> taken)
    {
        try
        {
            var m = pattern.Match(text.Lower);
            for (var tried = 0; m.Success && tried < MatchesTried; tried++, m = m.NextMatch())
            {
                if (InsideLink(links, m.Index))
                {
                    continue;
                }
                var (start, length) = text.ToOriginal(m.Index, m.Length);
                var free = true;
                foreach (var (s, e) in taken)
                {
                    if (start < e && s < start + length)
                    {
                        free = false;
                        break;
                    }
                }
                if (free)
                {
                    return m;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological input must not fail the run; the other cues still count.
        }
        return null;
    }

    private static bool InsideLink(IReadOnlyList<FoundLink> links, int index)
    {
        // Indexed: a foreach over the interface would allocate an enumerator on every call.
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (index >= link.Start && index < link.Start + link.Length)
            {
                return true;
            }
        }
        return false;
    }
}
