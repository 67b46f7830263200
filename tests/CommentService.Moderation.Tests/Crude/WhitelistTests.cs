namespace CommentService.Moderation.Tests.Crude;

/// <summary>Ordinary words, names and numbers that contain or resemble crude words pass.</summary>
public sealed class WhitelistTests
{
    [Theory]
    [InlineData("We drove from Scunthorpe to Penistone, then on to Cockburnspath.")]
    [InlineData("It was filmed in Sussex, Essex and Middlesex, and near Clitheroe.")]
    [InlineData("The festival moved from Fukushima to Phuket this year.")]
    public async Task Place_names_pass(string body) => await AssertApproved(body);

    [Theory]
    [InlineData("Dickens would have loved this plot.")]
    [InlineData("Matsushita and Yamashita produced it; Hancock and Hitchcock would approve.")]
    [InlineData("Claud Cockburn wrote about it, and Dick Cheney was mentioned.")]
    [InlineData("The Wankel engine scene made me laugh.")]
    [InlineData("Alan Cumming was wonderful in it.")]
    public async Task Surnames_and_names_pass(string body) => await AssertApproved(body);

    [Theory]
    [InlineData("The assassin in the cocktail bar had a great analysis of the class war.")]
    [InlineData("Her therapist ate shiitake mushrooms and grapes.")]
    [InlineData("A cocky cockatoo flew into the cockpit of the shuttlecock factory.")]
    [InlineData("The cumulative documents were cumbersome; add cumin and cucumber.")]
    [InlineData("A swanky title for a titanic sextet; the sexton found a sextant.")]
    [InlineData("The blue tits and great tits came tit for tat; a booby trap!")]
    [InlineData("She graduated summa cum laude.")]
    [InlineData("He'll pass the glass to the bass player, then assess the embarrassing harassment case.")]
    [InlineData("Moby Dick and spotted dick for pudding.")]
    public async Task Ordinary_words_with_crude_substrings_pass(string body) => await AssertApproved(body);

    [Theory]
    [InlineData("The book has 455 pages.")]
    [InlineData("It cost $455, or 80085 yen.")]
    [InlineData("See revision 80085 and 455 more edits.")]
    [InlineData("Call 555 80085 for tickets.")]
    [InlineData("In 455 AD Rome was sacked; the score was 58008 to 455.")]
    [InlineData("Take the A55 and then the M5; it was released in the 1990s.")]
    public async Task Numbers_in_ordinary_numeric_contexts_pass(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.DoesNotContain(verdict.Flags, f => f.Reason.StartsWith("crude.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_whitelisted_word_stays_whitelisted_when_it_carries_a_possessive()
    {
        await AssertApproved("Scunthorpe's mayor and Matsushita's engineers liked it.");
    }

    [Fact]
    public async Task Masking_cannot_borrow_a_whitelist_entry()
    {
        // "c*cktail" is not a plain spelling of cocktail, so the whitelist does not cover a masked crude word.
        var verdict = await Moderate.Comment("you c*nt");
        Assert.Equal(ModerationOutcome.Pending, verdict.Outcome);
    }

    private static async Task AssertApproved(string body)
    {
        var verdict = await Moderate.Comment(body);
        Assert.Equal(ModerationOutcome.Approved, verdict.Outcome);
        Assert.DoesNotContain(verdict.Flags, f => f.Reason is "crude.sexual" or "crude.slur" or "crude.profanity");
    }
}
