using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommentService.Client;

/// <summary>The hand-written half of the generated client.</summary>
public partial class CommentServiceClient
{
    // Every request field is optional in the generated models; a field left unset is left out of the JSON
    // (so the service applies its default, or on PATCH keeps the current value) instead of sent as null.
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
}
