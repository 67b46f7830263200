using System.Text;

namespace CommentService.Api.Infrastructure;

/// <summary>An opaque keyset cursor over (time, id), for lists ordered by creation: the queue, the audit log, deliveries.</summary>
public static class KeysetCursor
{
    public static string Encode(DateTimeOffset at, Guid id) =>
        System.Buffers.Text.Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{at.UtcTicks}:{id:N}"));

    public static bool TryDecode(string cursor, out DateTimeOffset at, out Guid id)
    {
        at = default;
        id = default;
        try
        {
            var parts = Encoding.ASCII.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], out var ticks) && ticks > 0 && ticks < DateTimeOffset.MaxValue.UtcTicks
                && Guid.TryParseExact(parts[1], "N", out id))
            {
                at = new DateTimeOffset(ticks, TimeSpan.Zero);
                return true;
            }
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
