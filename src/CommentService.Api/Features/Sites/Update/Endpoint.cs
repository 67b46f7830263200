using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Sites.Update;

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>New name; omit to keep.</summary>
    public string? Name { get; set; }

    /// <summary>Replaces the whole list; omit to keep.</summary>
    public List<string>? AllowedOrigins { get; set; }

    /// <summary>Omit to keep.</summary>
    public int? EditWindowMinutes { get; set; }

    /// <summary>Close threads to new comments this many days after their first comment (1 to 3650); 0 turns it off.</summary>
    public int? AutoCloseAfterDays { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Name).CleanText("name", Limits.SiteNameLength).When(r => r.Name is not null);
        RuleFor(r => r.AllowedOrigins).Must(o => o is null || o.Count <= Limits.MaxAllowedOrigins)
            .WithMessage($"At most {Limits.MaxAllowedOrigins} origins.");
        RuleForEach(r => r.AllowedOrigins).Must(SiteRules.IsOrigin)
            .WithMessage("Each origin is scheme://host[:port] with http or https and no path.");
        RuleFor(r => r.EditWindowMinutes).InclusiveBetween(0, Limits.MaxEditWindowMinutes);
        RuleFor(r => r.AutoCloseAfterDays).InclusiveBetween(0, 3650);
    }
}

public sealed class Endpoint(CommentsDb db, SiteOrigins origins, TimeProvider clock) : Endpoint<Request, SiteResponse>
{
    public override void Configure()
    {
        Patch("/sites/{siteId}");
        Policies(Infrastructure.Auth.Policies.SiteAdmin);
        Description(b => b.WithName("updateSite").ProducesProblems(400, 401, 403, 404));
        Summary(s =>
        {
            s.Summary = "Update a site";
            s.Description = "Changes the fields present in the body; absent fields keep their values. Operator key, or a site key with the admin scope.";
            s.ExampleRequest = new Request { SiteId = "film-blog", AllowedOrigins = ["https://films.example", "https://www.films.example"] };
        });
    }

    public override async Task HandleAsync(Request req, CancellationToken ct)
    {
        var site = await db.RequireAsync(req.SiteId, ct, track: true);
        if (req.Name is not null)
        {
            site.Name = req.Name.Trim();
        }
        if (req.AllowedOrigins is not null)
        {
            site.AllowedOrigins = req.AllowedOrigins.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }
        if (req.EditWindowMinutes is { } minutes)
        {
            site.EditWindowMinutes = minutes;
        }
        if (req.AutoCloseAfterDays is { } days)
        {
            site.AutoCloseAfterDays = days > 0 ? days : null;
        }
        site.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        origins.Forget(site.Id);
        await Infrastructure.Scaling.CacheSignals.PublishAsync(db, SiteOrigins.Topic, site.Id, ct);
        await Send.OkAsync(SiteResponse.From(site), ct);
    }
}
