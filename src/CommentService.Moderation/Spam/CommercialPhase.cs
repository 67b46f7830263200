using System.Buffers;
using System.Text.RegularExpressions;

namespace CommentService.Moderation.Spam;

/// <summary>
/// Commercial and scam patterns: money offers, pharma, casino, crypto schemes, essay mills, SEO, adult
/// bait, self-promotion (channels, followers, subscribers), "contact me on Telegram/WhatsApp", phone
/// numbers. Each pattern counts once; a plain mention of a topic (a price, "casino" in a film title) weighs
/// little, an offer weighs a lot.
/// </summary>
public sealed class CommercialPhase : IModerationPhase
{
    public const string PhaseName = "spam.commercial";

    public string Name => PhaseName;

    /// <summary>
    /// One pattern: its reason code, what it is (the flag's note), its regular expression and score, and its gate:
    /// groups of literal substrings, one of each group being necessary for a match, so a comment without them is
    /// passed over without running the expression (see <see cref="LiteralGate"/>).
    /// </summary>
    public sealed record Rule(string Reason, string Note, Regex Pattern, double Score, IReadOnlyList<SearchValues<string>> Gate)
    {
        /// <summary>Whether the lower-cased text passes the gate (a match is possible).</summary>
        public bool MayMatch(ReadOnlySpan<char> lower) => LiteralGate.MayMatch(lower, Gate);
    }

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    // The gate is written "a|b|c & d|e" (see LiteralGate): '&' separates the groups, '|' the literals of a group,
    // and "\bword\b" asks for the literal at word edges.
    private static Rule R(string reason, string note, double score, string gate, string pattern) =>
        new(reason, note, new Regex(pattern, Options, TimeSpan.FromMilliseconds(250)), score, Gates(gate));

    internal static LiteralGate Gates(string gate) => LiteralGate.Parse(gate);

    // Edged gate groups for expressions whose plain literals are common in prose ("see ... my", "line", "mail"):
    // the word at the end of "check out my channel" and the two words of "contact me on telegram" as they must
    // stand in a match, after whitespace and before a word edge ("web\s*site" only starts at one).
    private const string PromotedThing =
        @"\bchannel\b|\bchanel\b|\bchan\b|\bvid\b|\bvids\b|\bvideo\b|\bvideos\b|\bsong\b|\bsongs\b|\bmusic\b|\bmixtape\b|\bpage\b|\bblog\b|\bsite\b|\bweb"
        + @"|\bprofile\b|\bplaylist\b|\bcover\b|\bcovers\b|\btrack\b|\brap\b|\braps\b|\balbum\b|\bbeat\b|\bbeats\b|\bapp\b|\bgame\b|\bbook\b|\bshop\b|\bstore\b"
        + @"|\binstagram\b|\binsta\b|\btwitter\b|\bsoundcloud\b|\bfacebook\b|\bstuff\b|\bwork\b|\bband\b|\bvlog\b|\bcontent\b";

    private const string OffSiteContact =
        @"\bme\b|\bus\b|\bhim\b|\bher\b|\bthem\b & \btelegram\b|\bwhats|\bwechat\b|\bsignal\b|\bkik\b|\bsnapchat\b|\bskype\b|\bviber\b|\bline\b"
        + @"|\be-mail\b|\bemail\b|\bgmail\b|\bhangouts\b";

    /// <summary>The patterns, matched against the lower-cased <see cref="SpamText"/>.</summary>
    public static IReadOnlyList<Rule> Rules { get; } =
    [
        // money
        R("spam.commercial", "money offer", 0.45, @"mak|earn & \bmake\b|\bmaking\b|\bearn\b|\bearning\b & \bmoney|\bcash|\bincome|\bprofit|$", @"\b(?:make|making|earn|earning)\s+(?:real\s+|extra\s+|easy\s+|fast\s+|quick\s+|big\s+|some\s+|good\s+)?(?:money|cash|income|profits?|\$\s?\d)"),
        R("spam.commercial", "money offer", 0.55, "$|€|£|usd|dollar|euro|buck", @"(?:[$€£]\s?\d[\d,.]*\s*k?|\b\d[\d,.]*\s*(?:usd|dollars|euros?|bucks))\s*(?:(?:to|-)\s*[$€£]?\s?\d[\d,.]*\s*)?(?:per|a|an|/|every)\s*(?:hour|hr|day|week|month|year)\b"),
        R("spam.commercial", "money offer", 0.45, "home|paid|income|freedom|boss", @"\b(?:work(?:ing)?\s+(?:from|at)\s+home|get\s+paid\b|(?:passive|extra|residual|monthly|online)\s+income|financial\s+freedom|be\s+your\s+own\s+boss|paid\s+surveys?)"),
        R("spam.commercial", "giveaway", 0.5, "free", @"\bfree\s+(?:money|cash|gift\s*cards?|iphones?|robux|v-?bucks|followers|likes|subscribers|psn|xbox|steam|itunes|amazon)\b"),
        R("spam.commercial", "loan offer", 0.55, "loan|cash|credit", @"\b(?:payday\s+loans?|loan\s+(?:offer|lender|approval)|(?:quick|instant|easy|fast)\s+(?:loans?|cash)|credit\s+repair|bad\s+credit\s+loans?)\b"),
        R("spam.commercial", "amount", 0.08, "$|€|£|usd|eur|dollar|buck", @"[$€£]\s?\d|\b\d[\d,.]*\s?(?:usd|eur|dollars|bucks)\b"),
        // pharma
        R("spam.commercial", "pharma", 0.6, "viagra|cialis|levitra|tramadol|xanax|valium|oxycodone|oxycontin|phentermine|adderall|kamagra|sildenafil|tadalafil|propecia|clomid|ambien", @"\b(?:viagra|cialis|levitra|tramadol|xanax|valium|oxycodone|oxycontin|phentermine|adderall|kamagra|sildenafil|tadalafil|propecia|clomid|ambien)\b"),
        R("spam.commercial", "pharma", 0.6, "pharmacy|pills|meds|medication|drugs|prescription|supplement|secret|enhancement", @"\b(?:online\s+pharmacy|buy\s+(?:cheap\s+)?(?:pills|meds|medications?|drugs)|without\s+(?:a\s+)?prescription|weight\s+loss\s+(?:pills|supplements?|secret)|diet\s+pills|male\s+enhancement)\b"),
        // casino
        R("spam.commercial", "casino", 0.55, "casino|betting|gambling|poker|slot|spins|deposit", @"\b(?:online\s+(?:casinos?|betting|gambling|poker|slots?)|casino\s+(?:bonus|online|games?)|slots?\s+online|sports\s+betting|free\s+spins|no\s+deposit\s+bonus|betting\s+tips)\b"),
        R("spam.commercial", "casino", 0.12, "casino|jackpot|roulette|bet365", @"\b(?:casino|jackpot|roulette|bet365)\b"),
        // crypto and investment schemes
        R("spam.commercial", "crypto scheme", 0.5, "bitcoin|btc|crypto|forex|binary|nft|usdt|ethereum", @"\b(?:bitcoin|btc|crypto(?:currency|currencies)?|forex|binary\s+options?|nft|usdt|ethereum)\b[^.!?\n]{0,60}\b(?:invest\w*|profits?|trading|returns?|earn\w*|mining|signals?|double|platform|account\s+manager)\b"),
        R("spam.commercial", "recovery scam", 0.6, "recover|hacker", @"\b(?:(?:crypto|bitcoin|funds?|asset)\s+recovery|recover\s+(?:your\s+|my\s+)?(?:lost|stolen|scammed)\s+(?:funds|crypto|bitcoin|money)|(?:ethical|legit|certified)\s+hackers?)\b"),
        R("spam.commercial", "investment offer", 0.45, "invest", @"\binvest(?:ed|ing|ment)?\b[^.!?\n]{0,40}\b(?:profit|returns?\s+of|roi|per\s+(?:day|week|month)|guaranteed)\b"),
        // essay mills
        R("spam.commercial", "essay writing", 0.55, "essay|dissertation|thesis|assignment|homework|coursework|paper", @"\b(?:essay|dissertation|thesis|assignment|homework|coursework|term\s+paper|research\s+paper)s?\s+(?:writing\s+)?(?:services?|help|writers?|writing)\b|\bwrite\s+my\s+(?:essay|paper|assignment|thesis)\b|\b(?:cheap|custom|professional)\s+(?:essays?|papers?)\b"),
        // SEO and traffic
        R("spam.commercial", "seo offer", 0.5, "seo|backlink|guest|rank|traffic|leads", @"\b(?:seo\s+(?:services?|expert|agency|company|packages?)|(?:buy|quality|cheap)\s+backlinks?|guest\s+post(?:ing)?\s+(?:services?|offer)|rank\s+(?:your\s+)?(?:website|site)|(?:increase|boost|drive)\s+(?:your\s+)?(?:website\s+|web\s+|site\s+)?(?:traffic|ranking)|generate\s+(?:free\s+)?leads|leads\s+on\s+auto\s*pilot|more\s+traffic)\b"),
        // adult bait
        R("spam.commercial", "adult bait", 0.55, "singles|girls|milf|women|sex|adult|dating|naked|nude|webcam", @"\b(?:(?:hot|horny|lonely|local)\s+(?:singles|girls|milfs?|women)\s+(?:in|near|want|waiting)|sex\s*cams?|(?:adult|dating)\s+(?:site|chat)|see\s+(?:her|me)\s+naked|nude\s+(?:pics|photos|videos?)|webcam\s+(?:girls|show))\b"),
        // self-promotion
        R("spam.self_promotion", "self-promotion", 0.6, "check|chek|chk|look|listen|watch|visit|see|view|go & my|our & " + PromotedThing, @"\b(?:check|chek|chk|checkout|look\s+at|listen\s+to|watch|visit|see|view|go\s+to)\s*(?:out\s+)?(?:my|our|me\s+on\s+my)\s+(?:new\s+|youtube\s+|yt\s+|latest\s+|first\s+|music\s+|own\s+|little\s+|official\s+|cool\s+)*(?:channel|chanel|chan|vids?|videos?|songs?|music|mixtape|page|blog|site|web\s*site|profile|playlist|covers?|track|raps?|album|beats?|app|game|book|shop|store|instagram|insta|twitter|soundcloud|facebook|stuff|work|band|vlog|content)\b"),
        R("spam.self_promotion", "self-promotion", 0.55, "sub|sus|suc", @"\b(?:subscribe|subcribe|suscribe|subscrib|subsribe|sucscribe|subscibe|subcsribe|subscirbe|sub)\s+(?:to\s+)?(?:me|my|us|our|back|plz|pls|please|4\s*sub|for\s+sub|and\s+(?:like|share|comment))\b"),
        R("spam.self_promotion", "self-promotion", 0.65, "sub|follow|like|f4f|l4l", @"\b(?:sub\s*4\s*sub|sub\s+for\s+sub|follow\s*4\s*follow|like\s*4\s*like|f4f|l4l)\b"),
        R("spam.self_promotion", "self-promotion", 0.3, "please|pls|plz|pleas|pleace", @"\b(?:please|pls|plz|pleas|pleace)\s+(?:subscribe|sub|like\s+(?:and|&)|share\s+(?:my|this)|follow\s+me|check\s+(?:out|it)|visit|watch\s+my|help\s+me\s+(?:reach|get))\b"),
        R("spam.self_promotion", "self-promotion", 0.45, "channel|chanel", @"\bmy\s+(?:youtube\s+|yt\s+|new\s+|music\s+|gaming\s+)?(?:channel|chanel)\b"),
        R("spam.self_promotion", "self-promotion", 0.45, "follow|add", @"\b(?:follow|add)\s+me\s+(?:on|at)\b|\bfollow\s+my\s+(?:instagram|insta|twitter|page|blog|channel|tiktok|soundcloud)\b"),
        R("spam.self_promotion", "like bait", 0.5, "like|thumb|comment", @"(?<!\b(?:i|we|you|they|really|also|totally|would|i'd|i'll|didn'?t|don'?t)\s+)\b(?:(?:do\s+not\s+|don'?t\s+)?like\s+(?:this\s+|my\s+)?comment\b|thumbs?\s+up\s+(?:if|of)\b|like\s+(?:this\s+)?(?:if|of)\s+(?:you|u|ur|your|you're|youre|ya)\b|give\s+(?:it|this|me)\s+a\s+(?:like|thumbs\s+up)|comment\s+and\s+(?:like|subscribe))"),
        R("spam.self_promotion", "click bait", 0.4, "click", @"\bclick\s+(?:here|this\s+link|the\s+link|on\s+(?:my|the\s+link|this)|below|my\s+(?:name|link|profile))\b"),
        R("spam.self_promotion", "followers for sale", 0.55, @"follower|subscriber|subs|likes|views & \bfollowers\b|\bsubscribers\b|\bsubs\b|\blikes\b|\bviews\b", @"(?<!\b(?:did|does|didn'?t|doesn'?t|never|he|she|they|who|people)\s+)\b(?:buy|get|gain|grow|want|need)\s+(?:\d+\s+)?(?:real\s+|cheap\s+|free\s+|more\s+|active\s+)?(?:instagram\s+|youtube\s+|twitter\s+|tiktok\s+)?(?:followers|subscribers|subs|likes|views)\b|\b(?:cheap|real|active|organic|instant)\s+(?:instagram\s+|youtube\s+|twitter\s+|tiktok\s+)?(?:followers|subscribers|likes|views)\b"),
        R("spam.self_promotion", "self-promotion", 0.3, "rapper|singer|producer|youtuber|beatmaker|vlogger|gamer|songwriter", @"\b(?:i'?m|i\s+am|im)\s+(?:a|an)\s+(?:\w+\s+){0,2}(?:rapper|singer|producer|youtuber|beatmaker|vlogger|gamer|songwriter)\b"),
        R("spam.self_promotion", "self-promotion", 0.2, "my|our & song|music|video|single|mixtape|album|vlog|cover", @"\b(?:my|our)\s+(?:new\s+|first\s+|latest\s+)?(?:song|music|video|single|mixtape|album|vlog|cover)\b"),
        // contact off the platform
        R("spam.contact", "contact off the site", 0.6, "telegram|whats|wechat|signal|kik|snapchat|skype|viber|line|mail|hangouts & " + OffSiteContact, @"\b(?:contact|message|text|reach|dm|write|call|add|inbox|chat\s+with)\s+(?:me|us|him|her|them)\s+(?:\w+\s+)?(?:on|via|at|through|in|by|with)\s+(?:telegram|whats\s*app|wechat|signal|kik|snapchat|skype|viber|line|e-?mail|gmail|hangouts)\b"),
        R("spam.contact", "contact off the site", 0.5, "telegram|whats|wechat|viber|kik|skype|snapchat", @"\b(?:telegram|whats\s*app|wechat|viber|kik|skype|snapchat)\s*(?:id|number|no|handle)?\s*[:@+]\s*[@+]?(?:[\w.]{3,}|\d{1,4}[\s\-]\d[\d\s\-]{5,})"),
        R("spam.contact", "email address", 0.25, "@", @"[\w.+\-]+@[\w\-]+\.(?:com|net|org|info|ru|co|io|biz|us|uk|de)\b"),
        // phone numbers: 10-15 digits in the usual groupings (a comma may follow), never the comma-grouped counts people quote
        R("spam.phone", "phone number", 0.35, "0|1|2|3|4|5|6|7|8|9", @"(?<![\w.]|\d,)(?:\+\d{1,3}[\s.\-]?)?(?:(?:\(\d{2,4}\)|\d{3,4})[\s.\-]?\d{3}[\s.\-]?\d{3,4}|\d{5}[\s.\-]?\d{5,6})(?!\w|[,.]\d)"),
    ];

    public ValueTask<PhaseResult> RunAsync(ModerationContext context, CancellationToken ct)
    {
        var signals = SpamSignals.Of(context);
        var text = signals.Text;
        var lower = text.Lower;
        var flags = new List<ModerationFlag>();
        foreach (var rule in Rules)
        {
            if (!rule.MayMatch(lower))
            {
                continue;
            }
            Match m;
            try
            {
                m = rule.Pattern.Match(lower);
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological input must not fail the whole run; the other rules and phases still count.
                continue;
            }
            if (!m.Success || InsideLink(signals.Links, m.Index))
            {
                continue;
            }
            flags.Add(text.Flag(rule.Reason, Name, rule.Score, m.Index, m.Length, rule.Note));
        }
        return ValueTask.FromResult(signals.Report(flags));
    }

    // A pattern inside a URL ("/make-money-online") is the link phase's business, not prose.
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
