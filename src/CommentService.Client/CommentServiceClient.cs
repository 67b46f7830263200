using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommentService.Client;

/// <summary>The hand-written half of the generated client.</summary>
public partial class CommentServiceClient
{
    /// <summary>
    /// The JSON nesting the client reads: a thread nests replies up to the service's Comments:MaxDepth (at most 64)
    /// levels, two JSON levels each (the comment and its replies array), deeper than System.Text.Json's default of 64.
    /// The service writes with the same limit.
    /// </summary>
    public const int MaxJsonDepth = 160;

    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings)
    {
        // Every request field is optional in the generated models; a field left unset is left out of the JSON
        // (so the service applies its default, or on PATCH keeps the current value) instead of sent as null.
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        settings.MaxDepth = MaxJsonDepth;
    }
}
