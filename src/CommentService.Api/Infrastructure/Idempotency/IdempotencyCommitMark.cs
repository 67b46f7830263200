using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace CommentService.Api.Infrastructure.Idempotency;

/// <summary>
/// Makes "this request's write happened" part of the write itself: when a request holds an
/// Idempotency-Key claim, every transaction of its <c>CommentsDb</c> sets the claim's
/// <c>committed_at</c> (and the created resource's location) just before it commits, on the same
/// connection and transaction. Either both commit or neither does, so a retry after a crash between
/// commit and storing the answer never runs the write again. If the claim is no longer this request's
/// (its lock expired and another request took the key over), the transaction is refused: the other
/// request does the write, this one must not.
/// Writes through <c>SaveChanges</c> without a transaction are put in one while a claim is held.
/// </summary>
public sealed class IdempotencyCommitMark(IdempotencyScope claim) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private const string MarkSql = """
        UPDATE idempotency_keys SET committed_at = coalesce(committed_at, now()), location = coalesce(@location, location)
        WHERE scope = @scope AND key = @key AND claim_token = @token AND status_code IS NULL
        """;

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        RequireTransaction(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        RequireTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (claim.Active)
        {
            using var cmd = Command(transaction);
            Check(cmd.ExecuteNonQuery());
        }
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (claim.Active)
        {
            await using var cmd = Command(transaction);
            Check(await cmd.ExecuteNonQueryAsync(cancellationToken));
        }
        return result;
    }

    private void RequireTransaction(DbContext? context)
    {
        // A single-statement save runs without a transaction by default, and then there is no commit to join.
        if (claim.Active && context is not null)
        {
            context.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        }
    }

    private NpgsqlCommand Command(DbTransaction transaction)
    {
        var cmd = new NpgsqlCommand(MarkSql, (NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction);
        cmd.Parameters.AddWithValue("scope", claim.Scope!);
        cmd.Parameters.AddWithValue("key", claim.Key!);
        cmd.Parameters.AddWithValue("token", claim.Token);
        cmd.Parameters.Add(new NpgsqlParameter("location", NpgsqlDbType.Text) { Value = (object?)claim.Location ?? DBNull.Value });
        return cmd;
    }

    private static void Check(int rows)
    {
        if (rows == 0)
        {
            // Not ours any more: the lock expired and a retry holds the key (and runs the write), or it finished.
            throw new ApiProblemException(StatusCodes.Status409Conflict, ProblemTypes.IdempotencyInProgress, "Conflict",
                "Another request with this Idempotency-Key took it over; retry shortly to get its answer.")
            { RetryAfterSeconds = 1 };
        }
    }
}
