namespace CommentService.Api.Infrastructure.Idempotency;

/// <summary>
/// A seam for crash tests only (nothing registers it in the service): called after a request with an
/// Idempotency-Key ran and before its answer is stored. A test host registers one that throws, which
/// leaves the database as a replica that died at that moment would: the write committed, no answer kept.
/// </summary>
public interface IIdempotencyFaults
{
    Task BeforeAnswerStoredAsync(HttpContext ctx);
}
