namespace CommentService.Api.Domain;

/// <summary>Where a comment stands. Only <see cref="Approved"/> comments are shown to readers.</summary>
public enum CommentStatus
{
    Pending,
    Approved,
    Rejected,
    Spam,
    Deleted,
}

public static class CommentStatusNames
{
    public static string ToWire(this CommentStatus status) => status switch
    {
        CommentStatus.Pending => "pending",
        CommentStatus.Approved => "approved",
        CommentStatus.Rejected => "rejected",
        CommentStatus.Spam => "spam",
        CommentStatus.Deleted => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static CommentStatus FromWire(string value) => value switch
    {
        "pending" => CommentStatus.Pending,
        "approved" => CommentStatus.Approved,
        "rejected" => CommentStatus.Rejected,
        "spam" => CommentStatus.Spam,
        "deleted" => CommentStatus.Deleted,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };
}
