using CommentService.Moderation.Crude;

namespace CommentService.Moderation.Tests.Crude;

/// <summary>Each way of disguising a crude word, aimed at another commenter as in the real thread.</summary>
public sealed class ObfuscationTests
{
    public static TheoryData<string, string> Disguises => new()
    {
        { "look-alike Cyrillic а", "pussу" },
        { "look-alike Cyrillic с and о", "сосk" },
        { "look-alike Greek ο", "cοck" },
        { "look-alike Greek capitals", "ΡΟRΝ" },
        { "fullwidth letters", "ｃｏｃｋ" },
        { "mathematical bold", "𝐜𝐨𝐜𝐤" },
        { "mathematical script", "𝓬𝓸𝓬𝓴" },
        { "enclosed letters", "ⓒⓞⓒⓚ" },
        { "negative squared letters", "🅲🅾🅲🅺" },
        { "regional indicator letters", "🇨🇴🇨🇰" },
        { "superscript letters", "ᶜᵒᶜᵏ" },
        { "small capitals", "ᴄᴏᴄᴋ" },
        { "letters separated by emoji", "c💥o💥c💥k" },
        { "leet digits", "c0ck" },
        { "leet digits for several letters", "d1ck" },
        { "l standing for i", "dlck" },
        { "exclamation mark standing for i", "d!ck" },
        { "pipe standing for i", "d|ck" },
        { "at sign standing for a", "@nal" },
        { "dollar signs standing for s", "pu$$y" },
        { "masked letter", "c*nt" },
        { "v standing for u", "cvnt" },
        { "zero-width space inside the word", "co\u200Bck" },
        { "zero-width joiner and soft hyphen", "pu\u200Dss\u00ADy" },
        { "HTML decimal entity", "c&#111;ck" },
        { "HTML hex entity", "p&#x75;ssy" },
        { "HTML named entity", "c&ouml;ck" },
        { "accents", "çöçk" },
        { "combining marks", "c\u0301o\u0308c\u0300k" },
        { "repeated letters with leet", "c0000ck" },
        { "spaced letters", "c o c k" },
        { "dotted letters", "c.o.c.k" },
        { "dashed letters", "p-u-s-s-y" },
        { "underscored letters", "c_u_n_t" },
        { "split in two", "co.ck" },
        { "mixed techniques", "р.u.$.$.у" },
        { "letter drawn with brackets", "c()ck" },
        { "letter drawn with pipes", "c|_|nt" },
        { "k drawn with a pipe and angle", "|<unt" },
        { "w drawn with two v", "vvhore" },
        { "hash as a mask", "c#nt" },
        { "caret as a mask", "p^ssy" },
    };

    [Theory]
    [MemberData(nameof(Disguises))]
    public async Task A_disguised_sexual_word_aimed_at_a_commenter_is_held_with_evidence_in_the_original(string technique, string disguised)
    {
        var body = $"Hey Simone, nice {disguised} you have.";
        var verdict = await Moderate.Comment(body);

        Assert.True(verdict.Outcome == ModerationOutcome.Pending, technique);
        Assert.Equal(CrudeLanguagePhase.PhaseName, verdict.DecidedBy);
        var flag = Assert.Single(verdict.Flags, f => f.Reason == "crude.sexual");
        Assert.Equal(body.Substring(flag.Start!.Value, flag.Length!.Value), flag.Evidence);
        Assert.Contains(disguised, body.Substring(flag.Start.Value, flag.Length.Value), StringComparison.Ordinal);
        Assert.StartsWith("obfuscated", flag.Note, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Disguises))]
    public async Task A_disguised_sexual_word_is_held_even_without_a_target(string technique, string disguised)
    {
        var verdict = await Moderate.Comment($"{disguised} lol");
        Assert.True(verdict.Outcome == ModerationOutcome.Pending, technique);
    }

    [Fact]
    public async Task The_disguise_weighs_more_than_the_same_word_spelled_plainly()
    {
        var plain = await Moderate.Comment("nice cock");
        var disguised = await Moderate.Comment("nice c0ck");
        Assert.Equal(ModerationOutcome.Approved, plain.Outcome);
        Assert.Equal(ModerationOutcome.Pending, disguised.Outcome);
        Assert.True(disguised.Flags.Single().Score > plain.Flags.Single().Score);
        Assert.DoesNotContain("obfuscated", plain.Flags.Single().Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("f.u.c.k you")]
    [InlineData("fսck you")]
    [InlineData("ｆｕｃｋ ｙｏｕ")]
    [InlineData("f*ck you")]
    [InlineData("phuck you")]
    [InlineData("fuuuuuck youuu")]
    [InlineData("go f u c k yourself")]
    [InlineData("stfu you moron")]
    [InlineData("u r a c*nt")]
    [InlineData("shut up you b1tch")]
    [InlineData("you're a piece of sh1t")]
    public async Task Disguised_profanity_aimed_at_someone_is_held(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    [Theory]
    [InlineData("show me your 80085")]
    [InlineData("show me ur 80085")]
    public async Task Digits_spelling_a_sexual_word_at_someone_are_held(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
        Assert.Contains("obfuscated", verdict.Flags.First(f => f.Reason == "crude.sexual").Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_of_a_word_with_invisible_characters_covers_them()
    {
        const string body = "you co\u200B\u200Bck";
        var flag = (await Moderate.Comment(body)).Flags.Single(f => f.Reason == "crude.sexual");
        Assert.Equal("co\u200B\u200Bck", body.Substring(flag.Start!.Value, flag.Length!.Value));
    }

    [Fact]
    public async Task Evidence_of_a_surrogate_pair_word_covers_whole_code_points()
    {
        const string body = "ok 𝐜𝐨𝐜𝐤!";
        var flag = (await Moderate.Comment(body)).Flags.Single(f => f.Reason == "crude.sexual");
        Assert.Equal(3, flag.Start);
        Assert.Equal("𝐜𝐨𝐜𝐤", flag.Evidence);
    }
}
