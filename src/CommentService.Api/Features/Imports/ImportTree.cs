using CommentService.Api.Data;
using CommentService.Api.Domain;

namespace CommentService.Api.Features.Imports;

/// <summary>A comment already in the site that an import can reply under (or that makes an item a duplicate).</summary>
public sealed record KnownComment(Guid Id, long ThreadId, string Path, int Depth, long ChildSequence);

/// <summary>An imported comment with its place in the tree and its counters, ready to be written.</summary>
public sealed class PlannedComment(ImportedComment source)
{
    public ImportedComment Source { get; } = source;
    public Guid Id { get; } = Guid.CreateVersion7(source.CreatedAt);
    public Guid? ParentId { get; set; }
    public string Path { get; set; } = "";
    public int Depth { get; set; }
    public bool Pinned { get; set; }
    public long ChildSequence { get; set; }
    public int ReplyCount { get; set; }
    public int VisibleDescendants { get; set; }
    internal PlannedComment? Parent { get; set; }
    internal KnownComment? KnownParent { get; set; }
    internal List<PlannedComment> Children { get; } = [];
}

/// <summary>One thread's share of an import: new comments in depth-first order and the changes to what was there.</summary>
public sealed class ThreadPlan
{
    public List<PlannedComment> Comments { get; } = [];
    public long RootSequence { get; set; }
    public int ApprovedAdded { get; set; }

    /// <summary>Existing comments that get new replies: their new child_sequence and the approved replies added.</summary>
    public Dictionary<Guid, (long ChildSequence, int RepliesAdded)> KnownParents { get; } = [];

    /// <summary>Existing comments (by path) that get approved comments below them.</summary>
    public Dictionary<string, int> KnownDescendantsAdded { get; } = new(StringComparer.Ordinal);
    public List<ImportIssue> Issues { get; } = [];
    public int Orphans { get; set; }
}

/// <summary>
/// Places one thread's imported comments in the materialized-path tree, the way live writes would
/// have: parents before children, siblings numbered in order of creation after the ones already there,
/// and every counter (thread approved count, reply counts, visible descendants, sequences) kept true.
/// A reply whose parent is missing (or in another article) goes to the top level; one that would nest
/// deeper than the configured maximum becomes a sibling of its parent; a cycle of parents is broken at
/// its oldest comment. Each of these is reported with its line.
/// </summary>
public static class ImportTree
{
    public static ThreadPlan Plan(long threadId, long rootSequence, IReadOnlyList<ImportedComment> comments,
        IReadOnlyDictionary<string, KnownComment> known, int maxDepth)
    {
        var plan = new ThreadPlan { RootSequence = rootSequence };
        var nodes = comments.Select(c => new PlannedComment(c)).ToList();
        var bySource = new Dictionary<string, PlannedComment>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            bySource.TryAdd(node.Source.SourceId, node);
        }

        // Who each comment replies to, as the file says.
        var children = new Dictionary<PlannedComment, List<PlannedComment>>();
        var starts = new List<PlannedComment>();
        foreach (var node in nodes)
        {
            var parentKey = node.Source.ParentSourceId;
            if (parentKey is null)
            {
                starts.Add(node);
            }
            else if (bySource.TryGetValue(parentKey, out var parent) && parent != node)
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(node);
            }
            else if (known.TryGetValue(parentKey, out var existing) && existing.ThreadId == threadId)
            {
                if (existing.Depth >= maxDepth)
                {
                    Report(plan, node, "flattened", $"The reply would nest deeper than {maxDepth} levels; it was placed at the top level.");
                }
                else
                {
                    node.KnownParent = existing;
                }
                starts.Add(node);
            }
            else
            {
                plan.Orphans++;
                Report(plan, node, "orphan", $"The parent comment '{parentKey}' is not in this article; the reply was placed at the top level.");
                starts.Add(node);
            }
        }

        // Walk down from the starting points, capping the depth; what is never reached is a cycle.
        var placed = new HashSet<PlannedComment>();
        var queue = new Queue<PlannedComment>();
        void Start(PlannedComment node)
        {
            node.Depth = node.KnownParent is { } k ? k.Depth + 1 : 0;
            placed.Add(node);
            queue.Enqueue(node);
        }
        foreach (var node in starts)
        {
            Start(node);
        }
        while (true)
        {
            while (queue.TryDequeue(out var node))
            {
                foreach (var child in children.GetValueOrDefault(node) ?? [])
                {
                    if (!placed.Add(child))
                    {
                        continue;
                    }
                    if (node.Depth >= maxDepth)
                    {
                        // Too deep: reply to the same comment as the parent did.
                        child.Parent = node.Parent;
                        child.KnownParent = node.KnownParent;
                        child.Depth = node.Depth;
                        Report(plan, child, "flattened", $"The reply would nest deeper than {maxDepth} levels; it was placed beside its parent.");
                    }
                    else
                    {
                        child.Parent = node;
                        child.Depth = node.Depth + 1;
                    }
                    queue.Enqueue(child);
                }
            }
            var left = nodes.Where(n => !placed.Contains(n)).OrderBy(n => n.Source.CreatedAt).ThenBy(n => n.Source.Line).FirstOrDefault();
            if (left is null)
            {
                break;
            }
            plan.Orphans++;
            Report(plan, left, "orphan", "The comment's parents form a cycle; it was placed at the top level.");
            Start(left);
        }

        // Number siblings in order of creation, after the ones already there, and lay out paths depth-first.
        var roots = new List<PlannedComment>();
        var underKnown = new Dictionary<Guid, List<PlannedComment>>();
        foreach (var node in nodes)
        {
            if (node.Parent is { } parent)
            {
                parent.Children.Add(node);
            }
            else if (node.KnownParent is { } k)
            {
                (underKnown.TryGetValue(k.Id, out var list) ? list : underKnown[k.Id] = []).Add(node);
            }
            else
            {
                roots.Add(node);
            }
        }
        foreach (var node in Ordered(roots))
        {
            plan.RootSequence++;
            Place(node, null, plan.RootSequence, plan);
        }
        foreach (var (parentId, list) in underKnown)
        {
            var k = list[0].KnownParent!;
            var sequence = k.ChildSequence;
            foreach (var node in Ordered(list))
            {
                Place(node, k.Path, ++sequence, plan);
            }
            plan.KnownParents[parentId] = (sequence, 0);
        }

        Count(plan);
        return plan;
    }

    private static IEnumerable<PlannedComment> Ordered(List<PlannedComment> siblings) =>
        siblings.OrderBy(n => n.Source.CreatedAt).ThenBy(n => n.Source.Line);

    /// <summary>Gives the node and its subtree their paths and adds them to the plan in path order.</summary>
    private static void Place(PlannedComment top, string? parentPath, long sequence, ThreadPlan plan)
    {
        var stack = new Stack<(PlannedComment Node, string? ParentPath, long Sequence)>();
        stack.Push((top, parentPath, sequence));
        while (stack.TryPop(out var item))
        {
            var node = item.Node;
            node.Path = CommentPath.Child(item.ParentPath, item.Sequence);
            node.Depth = CommentPath.DepthOf(node.Path);
            node.ParentId = node.Parent?.Id ?? node.KnownParent?.Id;
            plan.Comments.Add(node);
            var ordered = Ordered(node.Children).ToList();
            node.ChildSequence = ordered.Count;
            for (var i = ordered.Count - 1; i >= 0; i--)
            {
                stack.Push((ordered[i], node.Path, i + 1));
            }
        }
    }

    /// <summary>Approved comments count for the thread, their parent's replies and every ancestor's visible descendants.</summary>
    private static void Count(ThreadPlan plan)
    {
        var pinned = 0;
        foreach (var node in plan.Comments)
        {
            if (node.Source.Pinned && node.Depth == 0 && node.Source.Status == CommentStatus.Approved && pinned < Limits.MaxPinnedPerThread)
            {
                node.Pinned = true;
                pinned++;
            }
            if (node.Source.Status != CommentStatus.Approved)
            {
                continue;
            }
            plan.ApprovedAdded++;
            if (node.Parent is { } parent)
            {
                parent.ReplyCount++;
            }
            else if (node.KnownParent is { } k)
            {
                var (sequence, replies) = plan.KnownParents[k.Id];
                plan.KnownParents[k.Id] = (sequence, replies + 1);
            }
            var ancestor = node.Parent;
            var last = node;
            while (ancestor is not null)
            {
                ancestor.VisibleDescendants++;
                last = ancestor;
                ancestor = ancestor.Parent;
            }
            if (last.KnownParent is { } top)
            {
                foreach (var path in CommentPath.Ancestors(top.Path).Append(top.Path))
                {
                    plan.KnownDescendantsAdded[path] = plan.KnownDescendantsAdded.GetValueOrDefault(path) + 1;
                }
            }
        }
    }

    private static void Report(ThreadPlan plan, PlannedComment node, string kind, string reason) =>
        plan.Issues.Add(new ImportIssue(kind, node.Source.Line, null, node.Source.SourceId, reason));
}
