using CommentService.Api.Domain;

namespace CommentService.Api.Tests.Domain;

public sealed class CommentPathTests
{
    private const long Base = 36;

    private static List<string> Shuffled(IEnumerable<string> items)
    {
        var random = new Random(36);
        return items.OrderBy(_ => random.Next()).ToList();
    }

    [Theory]
    [InlineData(1L, "000001")]
    [InlineData(9L, "000009")]
    [InlineData(10L, "00000a")]
    [InlineData(35L, "00000z")]
    [InlineData(36L, "000010")]
    [InlineData(1295L, "0000zz")]
    [InlineData(1296L, "000100")]
    [InlineData(46_656L, "001000")]
    [InlineData(CommentPath.MaxSiblings, "zzzzzz")]
    public void Segment_is_six_base36_digits(long sequence, string expected)
    {
        Assert.Equal(expected, CommentPath.Segment(sequence));
        Assert.Equal(CommentPath.SegmentWidth, expected.Length);
    }

    [Fact]
    public void Segments_sort_in_creation_order_under_ordinal_comparison_past_two_digits()
    {
        const int count = 36 * 36 * 2; // 2592: the first three-digit numbers and beyond
        var segments = Enumerable.Range(1, count).Select(i => CommentPath.Segment(i)).ToList();

        var shuffled = Shuffled(segments);
        shuffled.Sort(StringComparer.Ordinal);
        Assert.Equal(segments, shuffled);
        for (var i = 1; i < segments.Count; i++)
        {
            Assert.True(string.CompareOrdinal(segments[i - 1], segments[i]) < 0, $"{segments[i - 1]} !< {segments[i]}");
        }
        Assert.Equal(count, segments.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(9L)] // last digit -> first letter
    [InlineData(35L)] // last letter -> carry into the second place
    [InlineData(1295L)] // "zz" -> "100"
    [InlineData(Base * Base * Base - 1)]
    [InlineData(Base * Base * Base * Base - 1)]
    [InlineData(Base * Base * Base * Base * Base - 1)]
    [InlineData(CommentPath.MaxSiblings - 1)]
    public void Segments_stay_ordered_across_a_carry(long before)
    {
        var a = CommentPath.Segment(before);
        var b = CommentPath.Segment(before + 1);
        Assert.True(string.CompareOrdinal(a, b) < 0, $"{a} should sort before {b}");
        // The same under the database's byte order: UTF-8 bytes compared unsigned.
        Assert.True(System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b)) < 0);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(CommentPath.MaxSiblings + 1)]
    [InlineData(long.MaxValue)]
    public void Sibling_numbers_out_of_range_throw(long sequence)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CommentPath.Segment(sequence));
        Assert.Equal("sequence", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => CommentPath.Child("000001", sequence));
    }

    [Fact]
    public void Child_appends_one_segment_to_the_parent()
    {
        Assert.Equal("000001", CommentPath.Child(null, 1));
        Assert.Equal("00000a", CommentPath.Child("", 10));
        Assert.Equal("000001000010", CommentPath.Child("000001", 36));
        Assert.Equal("000001000010000100", CommentPath.Child("000001000010", 1296));
    }

    [Theory]
    [InlineData("000001", 0)]
    [InlineData("00000z000001", 1)]
    [InlineData("000001000002000003", 2)]
    public void DepthOf_counts_levels_below_the_top(string path, int depth) =>
        Assert.Equal(depth, CommentPath.DepthOf(path));

    [Fact]
    public void DepthOf_a_path_32_levels_deep()
    {
        var path = string.Concat(Enumerable.Range(1, 33).Select(i => CommentPath.Segment(i)));
        Assert.Equal(32, CommentPath.DepthOf(path));
    }

    [Fact]
    public void Ancestors_are_the_proper_prefixes_root_first()
    {
        Assert.Empty(CommentPath.Ancestors("000001"));
        Assert.Equal(["000001"], CommentPath.Ancestors("000001000002"));
        Assert.Equal(["00000a", "00000a0000zz", "00000a0000zz000100"], CommentPath.Ancestors("00000a0000zz000100000001"));
    }

    [Fact]
    public void Every_ancestor_is_well_formed_and_one_level_up_from_the_next()
    {
        var path = string.Concat(Enumerable.Range(1, 10).Select(i => CommentPath.Segment(i * 997)));
        var ancestors = CommentPath.Ancestors(path);
        Assert.Equal(CommentPath.DepthOf(path), ancestors.Length);
        for (var level = 0; level < ancestors.Length; level++)
        {
            Assert.True(CommentPath.IsWellFormed(ancestors[level]));
            Assert.Equal(level, CommentPath.DepthOf(ancestors[level]));
            Assert.StartsWith(ancestors[level], path, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("000001")]
    [InlineData("zzzzzz")]
    [InlineData("0000090000a0")]
    public void IsWellFormed_accepts_whole_segments_of_the_alphabet(string path) =>
        Assert.True(CommentPath.IsWellFormed(path));

    [Theory]
    [InlineData("")]
    [InlineData("00001")] // short segment
    [InlineData("0000010")] // a segment and a bit
    [InlineData("00000A")] // upper case sorts before digits in byte order
    [InlineData("00000~")]
    [InlineData("0000-1")]
    [InlineData("00000 ")]
    [InlineData("00000é")]
    [InlineData("000001/00002")]
    public void IsWellFormed_refuses_anything_else(string path) =>
        Assert.False(CommentPath.IsWellFormed(path));

    [Fact]
    public void Ordinal_order_of_paths_is_depth_first_with_siblings_by_creation()
    {
        // A tree with wide levels (carries at 9/10, 35/36) and depth, built in creation order.
        var depthFirst = new List<string>();
        void Build(string? parent, int depth)
        {
            var width = depth switch { 0 => 40, 1 => 12, _ => 2 };
            for (var i = 1; i <= width; i++)
            {
                var path = CommentPath.Child(parent, i);
                depthFirst.Add(path);
                if (depth < 2 && i % 3 == 0)
                {
                    Build(path, depth + 1);
                }
            }
        }
        Build(null, 0);

        var sorted = Shuffled(depthFirst);
        sorted.Sort(StringComparer.Ordinal);
        Assert.Equal(depthFirst, sorted);
    }

    [Fact]
    public void A_subtree_is_the_range_from_its_path_to_SubtreeEnd()
    {
        var parent = CommentPath.Child("000003", 35);
        var end = CommentPath.SubtreeEnd(parent);
        var inside = new[] { parent, CommentPath.Child(parent, 1), CommentPath.Child(CommentPath.Child(parent, 1296), 1), CommentPath.Child(parent, CommentPath.MaxSiblings) };
        var outside = new[] { "000003", CommentPath.Child("000003", 34), CommentPath.Child("000003", 36), CommentPath.Child(CommentPath.Child("000003", 36), 1), "000004" };

        foreach (var path in inside)
        {
            Assert.True(string.CompareOrdinal(parent, path) <= 0 && string.CompareOrdinal(path, end) < 0, $"{path} should be inside [{parent}, {end})");
        }
        foreach (var path in outside)
        {
            Assert.False(string.CompareOrdinal(parent, path) <= 0 && string.CompareOrdinal(path, end) < 0, $"{path} should be outside [{parent}, {end})");
        }
    }
}
