using CommentService.Moderation.Spam;
namespace CommentService.Evaluation;

public static class Scratch
{
    public sealed class Lr
    {
        public Dictionary<uint, double> W = new();
        public Dictionary<uint, double> G = new();
        public double B;
        double gb;
        public double Logit(HashSet<uint> f)
        {
            var s = B; var norm = 1 / Math.Sqrt(f.Count);
            foreach (var x in f) if (W.TryGetValue(x, out var w)) s += w * norm;
            return s;
        }
        public void Step(HashSet<uint> f, bool y, double eta, double l2)
        {
            var p = 1 / (1 + Math.Exp(-Logit(f)));
            var g = p - (y ? 1 : 0);
            var norm = 1 / Math.Sqrt(f.Count);
            foreach (var x in f)
            {
                W.TryGetValue(x, out var w); G.TryGetValue(x, out var gg);
                var gr = g * norm + l2 * w;
                gg += gr * gr; G[x] = gg;
                W[x] = w - eta * gr / Math.Sqrt(gg + 1e-8);
            }
            gb += g * g; B -= eta * g / Math.Sqrt(gb + 1e-8);
        }
    }

    public static void Run(IReadOnlyList<YouTubeSpamEvaluation.Video> videos)
    {
        foreach (var (eta, l2, epochs, th) in new[] { (0.5, 1e-3, 10, -1.0), (0.5, 1e-3, 10, -0.5), (0.5, 1e-3, 10, 0.5), (0.5, 3e-3, 10, 0.0), (0.5, 3e-3, 10, -0.5), (0.5, 1e-2, 10, 0.0), (0.5, 1e-2, 10, -0.3) })
        {
            var train = videos.SelectMany(v => v.Train).Select(c => (F: SpamFeatures.Extract(c.Content), c.IsSpam)).ToList();
            var lr = new Lr();
            var rnd = new Random(1);
            for (var e = 0; e < epochs; e++)
            {
                foreach (var (f, y) in train.OrderBy(_ => rnd.Next())) lr.Step(f, y, eta, l2);
            }
            var accs = new List<double>(); var f1s = new List<double>();
            var fpAll = 0; var hamAll = 0;
            foreach (var v in videos)
            {
                int tp = 0, fp = 0, tn = 0, fn = 0;
                foreach (var c in v.Test)
                {
                    var spam = lr.Logit(SpamFeatures.Extract(c.Content)) > th;
                    if (c.IsSpam && spam) tp++; else if (!c.IsSpam && spam) fp++; else if (!c.IsSpam) tn++; else fn++;
                }
                accs.Add((double)(tp + tn) / (tp + tn + fp + fn)); f1s.Add(2.0 * tp / (2 * tp + fp + fn)); fpAll += fp; hamAll += fp + tn;
            }
            Console.WriteLine($"LR th={th} eta={eta} l2={l2} ep={epochs}: acc {string.Join(" ", accs.Select(a => a.ToString("0.000")))} mean {accs.Average():0.000} F1 {f1s.Average():0.000} fp {fpAll}/{hamAll}");
        }
    }
}
