using CommentService.Api.Infrastructure;

namespace CommentService.Api.Tests.Infrastructure;

public sealed class ArticleIdDecodeTests
{
    [Theory]
    [InlineData("plain-slug", "plain-slug")]
    [InlineData("a%2Fb", "a/b")]
    [InlineData("a%2fb", "a/b")]
    [InlineData("a%252Fb", "a%2Fb")] // decoded exactly once: %25 -> %, the rest is text
    [InlineData("%2525", "%25")]
    [InlineData("100%25", "100%")]
    [InlineData("a+b", "a+b")] // a path segment, not a form: '+' is not a space
    [InlineData("her%20(2013)%3Fref%3Dhome%23c", "her (2013)?ref=home#c")]
    [InlineData("%C3%BCn%C3%AFcode", "ünïcode")]
    [InlineData("%c3%bc", "ü")]
    [InlineData("%F0%9F%98%80", "😀")]
    [InlineData("%E2%82%AC", "€")]
    public void Decodes_percent_escapes_exactly_once(string segment, string expected) =>
        Assert.Equal(expected, ArticleIds.Decode(segment));

    [Fact]
    public void Unescaped_characters_beside_escapes_are_kept_as_they_are()
    {
        Assert.Equal("ü/ü", ArticleIds.Decode("ü%2Fü"));
        Assert.Equal("😀 😀", ArticleIds.Decode("😀%20😀"));
    }

    [Fact]
    public void Unpaired_surrogates_beside_escapes_are_refused_not_replaced()
    {
        // Not as InlineData: attribute strings are stored as UTF-8, which cannot carry a lone surrogate.
        AssertRefused("\uD83D%20");
        AssertRefused("%20\uDE00");
    }

    [Theory]
    [InlineData("%")]
    [InlineData("abc%")]
    [InlineData("%2")]
    [InlineData("a%2")]
    [InlineData("%zz")]
    [InlineData("%G0")]
    [InlineData("%0G")]
    [InlineData("% 2F")]
    [InlineData("%%2F")]
    [InlineData("%+1")]
    [InlineData("%-1")]
    public void Invalid_escapes_are_a_400_naming_articleId(string segment) =>
        AssertRefused(segment);

    [Theory]
    [InlineData("%FF")] // never valid in UTF-8
    [InlineData("%C3")] // truncated two-byte sequence
    [InlineData("a%C3b")]
    [InlineData("%E2%82")] // truncated three-byte sequence
    [InlineData("%80")] // a lone continuation byte
    [InlineData("%C0%AF")] // overlong encoding of '/'
    [InlineData("%ED%A0%80")] // an encoded UTF-16 surrogate
    [InlineData("%F4%90%80%80")] // beyond U+10FFFF
    public void Invalid_UTF8_is_a_400_naming_articleId(string segment) =>
        AssertRefused(segment);

    private static void AssertRefused(string segment)
    {
        var ex = Assert.Throws<ApiProblemException>(() => ArticleIds.Decode(segment));
        Assert.Equal(400, ex.Status);
        Assert.Equal(ProblemTypes.Validation, ex.Type);
        var error = Assert.Single(ex.Errors ?? []);
        Assert.Equal(ArticleIds.Field, error.Name);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }
}
