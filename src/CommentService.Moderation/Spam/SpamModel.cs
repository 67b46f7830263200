using System.IO.Compression;

namespace CommentService.Moderation.Spam;

/// <summary>
/// A logistic-regression spam model over <see cref="SpamFeatures"/> (binary, scaled to unit length), trained by
/// AdaGrad with L2 regularisation, with a logistic calibration fitted on held-out folds so that
/// <see cref="Score(string)"/> reads as a probability. Learning is online: <see cref="Learn(string, bool, SpamModel?)"/>
/// takes one moderator decision at a time. A site's own model starts empty and is read on top of the shipped
/// base model (<see cref="Score(IReadOnlySet{uint}, SpamModel?)"/>: the two logits add), and learns only what
/// the base model gets wrong for that site, so a single decision about a new spam template is enough to
/// flag it afterwards. Not thread-safe for writes: the owner serialises Learn; concurrent reads are fine.
/// </summary>
public sealed class SpamModel
{
    private const uint Magic = 0x4D535343; // "CSSM"
    private const int FormatVersion = 2;

    /// <summary>AdaGrad step size.</summary>
    public const double LearningRate = 0.5;

    /// <summary>L2 regularisation per step.</summary>
    public const double L2 = 1e-3;

    /// <summary>Features seen in fewer training comments than this are left out by <see cref="Train"/>.</summary>
    public const int MinimumDocuments = 3;

    /// <summary>Passes over the examples in <see cref="Train"/>.</summary>
    public const int Epochs = 10;

    private readonly Dictionary<uint, Weight> weights;

    // The weights in a flat table for scoring, built on first use and dropped whenever a weight changes.
    private WeightTable? table;
    private double intercept;
    private double interceptSquares;

    private record struct Weight(float Value, float Squares);

    public SpamModel()
        : this(new Dictionary<uint, Weight>(), 0, 0, 0, 0, 1, 0)
    {
    }

    private SpamModel(Dictionary<uint, Weight> weights, double intercept, double interceptSquares, double spamDocuments, double hamDocuments, double scale, double bias)
    {
        this.weights = weights;
        this.intercept = intercept;
        this.interceptSquares = interceptSquares;
        SpamDocuments = spamDocuments;
        HamDocuments = hamDocuments;
        Scale = scale;
        Bias = bias;
    }

    /// <summary>Spam comments learned.</summary>
    public double SpamDocuments { get; private set; }

    /// <summary>Legitimate comments learned.</summary>
    public double HamDocuments { get; private set; }

    /// <summary>Slope of the calibration applied to the model's log-odds.</summary>
    public double Scale { get; private set; }

    /// <summary>Offset of the calibration.</summary>
    public double Bias { get; private set; }

    /// <summary>Features with a weight.</summary>
    public int FeatureCount => weights.Count;

    /// <summary>
    /// Teaches one decision: spam or legitimate. With <paramref name="baseModel"/> (a site's model over the
    /// shipped one) only the difference is learned. A few steps are taken until the example is fitted, so one
    /// moderator decision visibly changes what the model says about that text and its near copies.
    /// </summary>
    public void Learn(string text, bool isSpam, SpamModel? baseModel = null) => Learn(SpamFeatures.Extract(text), isSpam, baseModel);

    /// <summary>Teaches one decision from features already extracted.</summary>
    public void Learn(IReadOnlySet<uint> features, bool isSpam, SpamModel? baseModel = null)
    {
        for (var step = 0; step < 10; step++)
        {
            var p = Sigmoid(LogOdds(features, baseModel));
            if (isSpam ? p >= 0.95 : p <= 0.05)
            {
                break;
            }
            Step(features, isSpam, baseModel);
        }
        if (isSpam)
        {
            SpamDocuments++;
        }
        else
        {
            HamDocuments++;
        }
    }

    private void Step(IReadOnlySet<uint> features, bool isSpam, SpamModel? under)
    {
        if (features.Count == 0)
        {
            return;
        }
        var g = Sigmoid(LogOdds(features, under, training: true)) - (isSpam ? 1 : 0);
        var x = 1 / Math.Sqrt(features.Count);
        foreach (var f in features)
        {
            weights.TryGetValue(f, out var w);
            var gradient = g * x + L2 * w.Value;
            var squares = w.Squares + gradient * gradient;
            weights[f] = new Weight((float)(w.Value - LearningRate * gradient / Math.Sqrt(squares + 1e-8)), (float)squares);
            table = null;
        }
        interceptSquares += g * g;
        intercept -= LearningRate * g / Math.Sqrt(interceptSquares + 1e-8);
    }

    /// <summary>The probability that a comment is spam, from this model alone.</summary>
    public double Score(string text) => Score(SpamFeatures.Extract(text), null);

    /// <summary>
    /// The probability that a comment is spam, from this model with an optional site overlay read on top of it.
    /// </summary>
    public double Score(IReadOnlySet<uint> features, SpamModel? overlay) =>
        Sigmoid(Scale * (LogOdds(features, null) + (overlay?.LogOdds(features, null) ?? 0)) + Bias);

    /// <summary>
    /// <see cref="Score(IReadOnlySet{uint}, SpamModel?)"/> for the distinct features of <see cref="FeatureSet"/>, in the
    /// order a set of them enumerates: the same sums in the same order, so the same probability to the last bit.
    /// </summary>
    internal double Score(ReadOnlySpan<uint> features, SpamModel? overlay) =>
        Sigmoid(Scale * (LogOdds(features) + (overlay?.LogOdds(features) ?? 0)) + Bias);

    // LogOdds(features, null) for scoring, over distinct features in set order: the same weights added in the
    // same order, read from the flat table when the model is large enough for one to pay.
    private double LogOdds(ReadOnlySpan<uint> features)
    {
        var sum = 0.0;
        if (weights.Count >= WeightTable.MinimumWeights)
        {
            var read = table ??= new WeightTable(weights);
            foreach (var f in features)
            {
                if (read.TryGetValue(f, out var value) && !SpamFeatures.LengthFeatureSet.Contains(f))
                {
                    sum += value;
                }
            }
        }
        else
        {
            foreach (var f in features)
            {
                if (weights.TryGetValue(f, out var w) && !SpamFeatures.LengthFeatureSet.Contains(f))
                {
                    sum += w.Value;
                }
            }
        }
        return intercept + (features.Length == 0 ? 0 : sum / Math.Sqrt(features.Length));
    }

    /// <summary>
    /// The weight values of a model, read-only, in one open-addressing array: each slot holds a feature and its
    /// weight side by side, so a lookup usually touches one cache line where the dictionary touches a bucket and
    /// an entry. Most of a comment's thousand-odd features are not in the model, and a miss ends at an empty slot.
    /// </summary>
    private sealed class WeightTable
    {
        /// <summary>Below this many weights the dictionary stays in cache and the table is not worth building.</summary>
        public const int MinimumWeights = 4096;

        // Feature in the low 32 bits, the float's bits in the high 32; 0 is an empty slot (feature 0 is kept apart).
        private readonly ulong[] slots;
        private readonly int shift;
        private readonly bool hasZero;
        private readonly float zeroValue;

        public WeightTable(Dictionary<uint, Weight> weights)
        {
            // At most two thirds full.
            var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, weights.Count * 3 / 2));
            slots = new ulong[size];
            shift = 32 - System.Numerics.BitOperations.Log2((uint)size);
            var mask = size - 1;
            foreach (var (feature, weight) in weights)
            {
                if (feature == 0)
                {
                    hasZero = true;
                    zeroValue = weight.Value;
                    continue;
                }
                var index = Home(feature);
                while (slots[index] != 0)
                {
                    index = (index + 1) & mask;
                }
                slots[index] = feature | ((ulong)BitConverter.SingleToUInt32Bits(weight.Value) << 32);
            }
        }

        public bool TryGetValue(uint feature, out float value)
        {
            if (feature == 0)
            {
                value = zeroValue;
                return hasZero;
            }
            var mask = slots.Length - 1;
            for (var index = Home(feature); ; index = (index + 1) & mask)
            {
                var slot = slots[index];
                if ((uint)slot == feature)
                {
                    value = BitConverter.UInt32BitsToSingle((uint)(slot >> 32));
                    return true;
                }
                if (slot == 0)
                {
                    value = 0;
                    return false;
                }
            }
        }

        private int Home(uint feature) => (int)((feature * 0x9E3779B1u) >> shift);
    }

    // This model's uncalibrated log-odds, plus those of the model it is learned over. Scoring leaves out the
    // length features (see SpamFeatures.LengthFeatures); training keeps them.
    private double LogOdds(IReadOnlySet<uint> features, SpamModel? under, bool training = false)
    {
        var sum = 0.0;
        foreach (var f in features)
        {
            if (weights.TryGetValue(f, out var w) && (training || !SpamFeatures.LengthFeatures.Contains(f)))
            {
                sum += w.Value;
            }
        }
        var own = intercept + (features.Count == 0 ? 0 : sum / Math.Sqrt(features.Count));
        return under is null ? own : own + under.LogOdds(features, null, training);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>
    /// Trains a model on labelled examples (<see cref="Epochs"/> shuffled passes) and fits <see cref="Scale"/>
    /// and <see cref="Bias"/> on held-out log-odds: the examples are split into <paramref name="folds"/>, each
    /// fold scored by a model trained on the others, so the calibration reflects comments the model has not seen.
    /// </summary>
    public static SpamModel Train(IReadOnlyList<(string Text, bool IsSpam)> examples, int folds = 5, int seed = 1)
    {
        var features = examples.Select(e => SpamFeatures.Extract(e.Text)).ToArray();
        // Features in only a few comments get large weights by chance and fire on unrelated text elsewhere:
        // keep those seen in at least MinimumDocuments training comments.
        var frequency = new Dictionary<uint, int>();
        foreach (var set in features)
        {
            foreach (var f in set)
            {
                frequency[f] = frequency.GetValueOrDefault(f) + 1;
            }
        }
        foreach (var set in features)
        {
            set.RemoveWhere(f => frequency[f] < MinimumDocuments);
        }
        var evidence = new List<(double X, bool Y)>(examples.Count);
        for (var fold = 0; fold < folds; fold++)
        {
            var partial = Fit(features, examples, i => i % folds != fold, seed);
            for (var i = fold; i < examples.Count; i += folds)
            {
                evidence.Add((partial.LogOdds(features[i], null), examples[i].IsSpam));
            }
        }
        var model = Fit(features, examples, _ => true, seed);
        (model.Scale, model.Bias) = FitLogistic(evidence);
        return model;
    }

    private static SpamModel Fit(HashSet<uint>[] features, IReadOnlyList<(string Text, bool IsSpam)> examples, Func<int, bool> include, int seed)
    {
        var model = new SpamModel();
        var order = Enumerable.Range(0, examples.Count).Where(include).ToArray();
        var random = new Random(seed);
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var i in order)
            {
                model.Step(features[i], examples[i].IsSpam, null);
            }
        }
        foreach (var i in order)
        {
            if (examples[i].IsSpam)
            {
                model.SpamDocuments++;
            }
            else
            {
                model.HamDocuments++;
            }
        }
        return model;
    }

    // One-feature logistic regression by Newton's method (a handful of iterations converge).
    private static (double Scale, double Bias) FitLogistic(List<(double X, bool Y)> data)
    {
        // Classes weigh equally, so the calibrated probability does not carry the training mix as a prior.
        var spam = Math.Max(1, data.Count(d => d.Y));
        var ham = Math.Max(1, data.Count - spam);
        double spamWeight = data.Count / (2.0 * spam), hamWeight = data.Count / (2.0 * ham);
        double a = 1, b = 0;
        for (var iteration = 0; iteration < 50; iteration++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            foreach (var (x, y) in data)
            {
                var weight = y ? spamWeight : hamWeight;
                var p = Sigmoid(a * x + b);
                var r = (p - (y ? 1 : 0)) * weight;
                ga += r * x;
                gb += r;
                var v = Math.Max(p * (1 - p), 1e-9) * weight;
                haa += v * x * x;
                hab += v * x;
                hbb += v;
            }
            // A tiny ridge keeps the step defined when the classes separate perfectly.
            haa += 1e-3;
            hbb += 1e-3;
            var det = haa * hbb - hab * hab;
            var da = (hbb * ga - hab * gb) / det;
            var db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-9)
            {
                break;
            }
        }
        return (a, b);
    }

    /// <summary>Drops weights smaller than <paramref name="minimum"/> in magnitude, to keep a shipped model small.</summary>
    public void Prune(double minimum)
    {
        foreach (var (key, w) in weights.ToArray())
        {
            if (Math.Abs(w.Value) < minimum)
            {
                weights.Remove(key);
                table = null;
            }
        }
    }

    /// <summary>A compact, versioned binary form (gzip) for storage.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var writer = new BinaryWriter(zip))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(SpamFeatures.Version);
            writer.Write(SpamDocuments);
            writer.Write(HamDocuments);
            writer.Write(intercept);
            writer.Write(interceptSquares);
            writer.Write(Scale);
            writer.Write(Bias);
            writer.Write(weights.Count);
            foreach (var (key, w) in weights.OrderBy(kv => kv.Key))
            {
                writer.Write(key);
                writer.Write(w.Value);
                writer.Write(w.Squares);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Reads what <see cref="ToBytes"/> wrote; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static SpamModel FromBytes(ReadOnlySpan<byte> bytes)
    {
        using var zip = new GZipStream(new MemoryStream(bytes.ToArray()), CompressionMode.Decompress);
        using var reader = new BinaryReader(zip);
        try
        {
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != FormatVersion)
            {
                throw new InvalidDataException("Not a spam model.");
            }
            if (reader.ReadInt32() != SpamFeatures.Version)
            {
                throw new InvalidDataException("The spam model was trained on other features; retrain it.");
            }
            var spamDocuments = reader.ReadDouble();
            var hamDocuments = reader.ReadDouble();
            var intercept = reader.ReadDouble();
            var interceptSquares = reader.ReadDouble();
            var scale = reader.ReadDouble();
            var bias = reader.ReadDouble();
            var n = reader.ReadInt32();
            if (n < 0 || n > 50_000_000)
            {
                throw new InvalidDataException("Corrupt spam model.");
            }
            var weights = new Dictionary<uint, Weight>(n);
            for (var i = 0; i < n; i++)
            {
                var key = reader.ReadUInt32();
                weights[key] = new Weight(reader.ReadSingle(), reader.ReadSingle());
            }
            return new SpamModel(weights, intercept, interceptSquares, spamDocuments, hamDocuments, scale, bias);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("Truncated spam model.", e);
        }
    }

    /// <summary>A deep copy.</summary>
    public SpamModel Clone() => new(new Dictionary<uint, Weight>(weights), intercept, interceptSquares, SpamDocuments, HamDocuments, Scale, Bias);

    private static readonly Lazy<SpamModel> Shipped = new(LoadEmbedded);

    /// <summary>
    /// The base model shipped in the library (trained on the training portions of the YouTube Spam
    /// Collection; see THIRD-PARTY-NOTICES.md). Shared and read-only by convention: <see cref="Clone"/> it
    /// before learning.
    /// </summary>
    public static SpamModel Base => Shipped.Value;

    /// <summary>The resource name of the shipped model.</summary>
    public const string ResourceName = "CommentService.Moderation.Data.base-spam-model.bin";

    private static SpamModel LoadEmbedded()
    {
        using var stream = typeof(SpamModel).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null)
        {
            return new SpamModel();
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return FromBytes(copy.ToArray());
    }
}
