namespace CommentService.Api.Infrastructure;

/// <summary>
/// `dotnet CommentService.Api.dll --probe URL` exits 0 when URL answers 2xx: the container health
/// check, without shipping curl in the image.
/// </summary>
public static class HealthProbe
{
    public static bool Requested(string[] args, out string url)
    {
        var at = Array.IndexOf(args, "--probe");
        url = at >= 0 && at + 1 < args.Length ? args[at + 1] : "";
        return at >= 0;
    }

    public static async Task<int> RunAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
