using CommentService.Moderation.Text;

namespace CommentService.Moderation.Tests.Text;

public sealed class TextViewsTests
{
    [Theory]
    [InlineData("ｆｕｌｌｗｉｄｔｈ", "fullwidth")]
    [InlineData("𝐛𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐", "bold italic")]
    [InlineData("ⓔⓝⓒⓛⓞⓢⓔⓓ", "enclosed")]
    [InlineData("ﬁne", "fine")]
    public void Light_view_folds_compatibility_forms_to_plain_letters(string text, string expected) =>
        Assert.Equal(expected, TextViews.Light(text).Text);

    [Fact]
    public void Light_view_decodes_entities_and_drops_invisible_characters()
    {
        var view = TextViews.Light("caf&eacute; &amp; b\u200Ba\u00ADr\u2060");
        Assert.Equal("café & bar", view.Text);
        Assert.True(view.TraitsAt(view.Text.IndexOf('a', 7)).HasFlag(CharTraits.Hidden));
    }

    [Fact]
    public void Light_view_keeps_case_urls_numbers_and_amounts()
    {
        const string text = "Visit https://Example.com/a?b=1 for $455.99 or 20% OFF!!!";
        Assert.Equal(text, TextViews.Light(text).Text);
    }

    [Fact]
    public void Light_view_maps_look_alikes_only_inside_words_that_mix_scripts()
    {
        Assert.Equal("cheap", TextViews.Light("сheap").Text); // Cyrillic с
        Assert.Equal("привет мир", TextViews.Light("привет мир").Text);
    }

    [Fact]
    public void Light_view_collapses_whitespace_keeping_line_breaks()
    {
        Assert.Equal("a\nb c", TextViews.Light("  a \r\n\t b \t c  \n").Text);
    }

    [Theory]
    [InlineData("S1mone", "simone")]
    [InlineData("sh!t", "shit")]
    [InlineData("a$$", "ass")]
    [InlineData("@ss", "ass")]
    [InlineData("b00bs", "boobs")]
    [InlineData("f.u.c.k", "fuck")]
    [InlineData("f u c k", "fuck")]
    [InlineData("f-u-c-k", "fuck")]
    [InlineData("f_u_c_k", "fuck")]
    [InlineData("fu.ck", "fuck")]
    [InlineData("fuuuuuck", "fuuck")]
    [InlineData("fück", "fuck")]
    [InlineData("f\u0338u\u0336c\u0337k", "fuck")]
    [InlineData("сосk", "cock")]
    [InlineData("ΡΟRΝ", "porn")]
    [InlineData("f&#117;ck", "fuck")]
    [InlineData("f&#x75;ck", "fuck")]
    [InlineData("fu\u200Bck", "fuck")]
    [InlineData("Wow!!!", "wow")]
    [InlineData("(the film)", "the film")]
    [InlineData("c()ck", "cock")]
    [InlineData("f|_|ck", "fuck")]
    [InlineData("|<unt", "kunt")]
    [InlineData("\\/agina", "vagina")]
    [InlineData("vvhore", "whore")]
    [InlineData("#hashtag and sh#t", "hashtag and sh*t")]
    [InlineData("savvy fans", "sawy fans")]
    public void Aggressive_view_undoes_each_disguise(string text, string expected) =>
        Assert.Equal(expected, TextViews.Aggressive(text).Text);

    [Fact]
    public void Aggressive_view_keeps_one_character_standing_for_several_letters()
    {
        var view = TextViews.Aggressive("1");
        Assert.Equal(WordKind.Number, view.Words[0].Kind);
        var word = TextViews.Aggressive("sh1t");
        var mask = word.Letters(word.Words[0])[2];
        Assert.NotEqual(0UL, mask & (1UL << ('i' - 'a')));
        Assert.NotEqual(0UL, mask & (1UL << ('l' - 'a')));
    }

    [Fact]
    public void Aggressive_view_splits_contractions_so_hell_is_not_read_into_he_will()
    {
        Assert.Equal("he ll be fine you re it s", TextViews.Aggressive("he'll be fine, you're it's").Text);
        Assert.Equal("dont", TextViews.Aggressive("don't").Text);
    }

    [Fact]
    public void Aggressive_view_keeps_compounds_of_longer_parts_apart()
    {
        Assert.Equal("well known", TextViews.Aggressive("well-known").Text);
        Assert.Equal("xray email", TextViews.Aggressive("x-ray e-mail").Text);
    }

    [Theory]
    [InlineData("455", WordKind.Number)]
    [InlineData("A55", WordKind.Code)]
    [InlineData("1990s", WordKind.Code)]
    [InlineData("10th", WordKind.Code)]
    [InlineData("MP3", WordKind.Code)]
    [InlineData("5ex", WordKind.Letters)]
    [InlineData("4ss", WordKind.Letters)]
    public void Aggressive_view_tells_numbers_and_codes_from_leet(string text, WordKind kind) =>
        Assert.Equal(kind, TextViews.Aggressive(text).Words[0].Kind);

    [Fact]
    public void Numbers_next_to_currency_percent_or_other_numbers_are_marked_numeric()
    {
        var view = TextViews.Aggressive("It cost $455 and 80085 people came, 4.55 each, 12 455.");
        var numbers = view.Words.Where(w => w.Kind == WordKind.Number).ToList();
        Assert.True(numbers[0].Has(WordFlags.NumericContext)); // $455
        Assert.False(numbers[1].Has(WordFlags.NumericContext)); // 80085 people: the phase's word list decides
        Assert.All(numbers.Skip(2), n => Assert.True(n.Has(WordFlags.NumericContext)));
    }

    [Theory]
    [InlineData("Look: f.u.c.k off", "f.u.c.k")]
    [InlineData("nice 𝐜𝐨𝐜𝐤 there", "𝐜𝐨𝐜𝐤")]
    [InlineData("a c&#117;nt here", "c&#117;nt")]
    [InlineData("x fu\u200B\u200Bck y", "fu\u200B\u200Bck")]
    [InlineData("well fuuuuuuck", "fuuuuuuck")]
    [InlineData("so s e x y", "s e x y")]
    [InlineData("ｆｕｃｋ", "ｆｕｃｋ")]
    public void Every_aggressive_word_maps_back_to_the_exact_original_text(string text, string original)
    {
        var view = TextViews.Aggressive(text);
        var word = view.Words.Single(w => view.OriginalOf(w.Start, w.Length) == original);
        var (start, length) = view.ToOriginal(word);
        Assert.Equal(original, text.Substring(start, length));
    }

    [Fact]
    public void Views_map_every_character_into_the_original_text()
    {
        const string text = "Ünïcödé &amp; ｆｕｌｌ 𝐛𝐨𝐥𝐝 s.e.x 12:30 @you!!";
        foreach (var view in new TextView[] { TextViews.Light(text), TextViews.Aggressive(text) })
        {
            for (var i = 0; i < view.Length; i++)
            {
                var (start, length) = view.ToOriginal(i, 1);
                Assert.InRange(start, 0, text.Length);
                Assert.InRange(start + length, start, text.Length);
            }
        }
    }

    [Fact]
    public void Views_of_empty_or_blank_text_are_empty()
    {
        Assert.Equal("", TextViews.Light("").Text);
        Assert.Empty(TextViews.Aggressive(" \u200B \n ").Words);
    }

    [Fact]
    public void Context_builds_each_view_once()
    {
        var context = Moderate.Context("Hello there");
        Assert.Same(context.Light, context.Light);
        Assert.Same(context.Aggressive, context.Aggressive);
        Assert.Equal("hello there", context.Aggressive.Text);
    }

    [Fact]
    public void Aggressive_view_marks_links_mentions_and_capitals()
    {
        var view = TextViews.Aggressive("@Simone see https://example.com/x. Dick Cheney");
        Assert.True(view.Words[0].Has(WordFlags.AtPrefixed));
        Assert.True(view.Words[0].Has(WordFlags.Capitalised));
        Assert.Contains(view.Words, w => w.Has(WordFlags.Link));
        var dick = view.Words.Single(w => view.TextOf(w) == "dick");
        Assert.True(dick.Has(WordFlags.Capitalised));
        Assert.True(dick.Has(WordFlags.SentenceStart));
    }
}
