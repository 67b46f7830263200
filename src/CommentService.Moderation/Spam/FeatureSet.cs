namespace CommentService.Moderation.Spam;

/// <summary>
/// The distinct feature hashes of one comment, in the order each was first added: the order in which a
/// <see cref="HashSet{T}"/> filled the same way (no removals) enumerates them, so the model's sums over
/// either add the same numbers in the same order and give bit-identical scores. An open-addressing table
/// of the hashes themselves, reused per thread by the classifier: a comment's thousand-odd features cost
/// no allocation and no comparer calls.
/// </summary>
internal sealed class FeatureSet
{
    private const int InitialSlots = 4096;

    // The set a thread's classifier fills and scores; phases run synchronously, so one run uses it at a time.
    [ThreadStatic]
    private static FeatureSet? perThread;

    // 0 marks an empty slot; the feature 0 itself (a possible hash) is kept in hasZero.
    private uint[] slots = new uint[InitialSlots];
    private uint[] order = new uint[InitialSlots / 2];

    // The slots taken, so that emptying the table after a short comment touches only those.
    private int[] used = new int[InitialSlots / 2];
    private int usedCount;
    private int count;
    private bool hasZero;
    private int shift = 32 - 12;

    /// <summary>This thread's set, emptied.</summary>
    public static FeatureSet ForThread()
    {
        var set = perThread ??= new FeatureSet();
        set.Clear();
        return set;
    }

    public int Count => count;

    /// <summary>The features in the order first added.</summary>
    public ReadOnlySpan<uint> Features => order.AsSpan(0, count);

    public void Add(uint feature)
    {
        if (feature == 0)
        {
            if (!hasZero)
            {
                hasZero = true;
                Append(0);
            }
            return;
        }
        var mask = slots.Length - 1;
        // The hashes are FNV-1a; a multiplicative step spreads their high bits over the index.
        var index = (int)((feature * 0x9E3779B1u) >> shift);
        while (true)
        {
            var slot = slots[index];
            if (slot == feature)
            {
                return;
            }
            if (slot == 0)
            {
                slots[index] = feature;
                used[usedCount++] = index;
                Append(feature);
                return;
            }
            index = (index + 1) & mask;
        }
    }

    /// <summary>The features as a new <see cref="HashSet{T}"/> that enumerates them in the same order.</summary>
    public HashSet<uint> ToHashSet()
    {
        var set = new HashSet<uint>(count);
        foreach (var feature in Features)
        {
            set.Add(feature);
        }
        return set;
    }

    private void Append(uint feature)
    {
        if (count == order.Length)
        {
            Array.Resize(ref order, order.Length * 2);
        }
        order[count++] = feature;
        if (count == used.Length)
        {
            Array.Resize(ref used, used.Length * 2);
        }
        // At most half full, so probes stay short.
        if (count * 2 > slots.Length)
        {
            Grow();
        }
    }

    private void Grow()
    {
        slots = new uint[slots.Length * 2];
        shift--;
        var mask = slots.Length - 1;
        usedCount = 0;
        foreach (var feature in Features)
        {
            if (feature == 0)
            {
                continue;
            }
            var index = (int)((feature * 0x9E3779B1u) >> shift);
            while (slots[index] != 0)
            {
                index = (index + 1) & mask;
            }
            slots[index] = feature;
            used[usedCount++] = index;
        }
    }

    private void Clear()
    {
        if (slots.Length > InitialSlots * 16)
        {
            // One huge comment should not pin a huge table to the thread.
            slots = new uint[InitialSlots];
            order = new uint[InitialSlots / 2];
            used = new int[InitialSlots / 2];
            shift = 32 - 12;
        }
        else if (usedCount * 8 > slots.Length)
        {
            Array.Clear(slots);
        }
        else
        {
            foreach (var index in used.AsSpan(0, usedCount))
            {
                slots[index] = 0;
            }
        }
        usedCount = 0;
        count = 0;
        hasZero = false;
    }
}
