using CommentService.Api.Domain;
using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;

namespace CommentService.Api.Features.Sites.Create;

public sealed class Request
{
    /// <summary>The site's slug, chosen by the operator: lowercase letters, digits and inner hyphens.</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>Origins (scheme://host[:port]) whose pages may call the API from the browser.</summary>
    public List<string>? AllowedOrigins { get; set; }

    /// <summary>Minutes an author may edit or delete with the edit token; default 15.</summary>
    public int? EditWindowMinutes { get; set; }

    /// <summary>Close threads to new comments this many days after their first comment (1 to 3650); 0 turns it off.</summary>
    public int? AutoCloseAfterDays { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Id).NotEmpty().MaximumLength(Limits.SiteIdLength)
            .Matches("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
            .WithMessage("Use lowercase letters, digits and inner hyphens.");
        RuleFor(r => r.Name).CleanText("name", Limits.SiteNameLength);
        RuleFor(r => r.AllowedOrigins).Must(o => o is null || o.Count <= Limits.MaxAllowedOrigins)
            .WithMessage($"At most {Limits.MaxAllowedOrigins} origins.");
        RuleForEach(r => r.AllowedOrigins).Must(SiteRules.IsOrigin)
            .WithMessage("Each origin is scheme://host[:port] with http or https and no path.");
        RuleFor(r => r.EditWindowMinutes).InclusiveBetween(0, Limits.MaxEditWindowMinutes);
        RuleFor(r => r.AutoCloseAfterDays).InclusiveBetween(0, 3650);
    }
}
