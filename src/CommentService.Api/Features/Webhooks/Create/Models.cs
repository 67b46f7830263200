using CommentService.Api.Infrastructure;
using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace CommentService.Api.Features.Webhooks.Create;

public sealed class Request
{
    public string SiteId { get; set; } = "";

    /// <summary>Where events are POSTed: http or https.</summary>
    public string Url { get; set; } = "";

    /// <summary>Any of comment.created, comment.held, comment.approved, comment.rejected, comment.reported.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>A note for the site's admins (what receives these events).</summary>
    public string? Description { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator(IOptions<WebhookOptions> options)
    {
        RuleFor(r => r.Url).Must(u => WebhookRules.UrlProblem(u, options.Value.AllowPrivateNetworks) is null)
            .WithMessage(r => WebhookRules.UrlProblem(r.Url, options.Value.AllowPrivateNetworks));
        RuleFor(r => r.Events).NotEmpty().WithMessage("Name at least one event.");
        RuleForEach(r => r.Events).Must(e => WebhookEvents.Types.Contains(e))
            .WithMessage($"Unknown event; use {string.Join(", ", WebhookEvents.Types)}.");
        RuleFor(r => r.Description).CleanText("description", WebhookRules.DescriptionLength).When(r => r.Description is not null);
    }
}

/// <summary>The new webhook with its signing secret: shown this once, stored only encrypted.</summary>
public sealed record Response : WebhookResponse
{
    public Response(WebhookResponse listed, string secret) : base(listed)
    {
        Secret = secret;
    }

    /// <summary>Verifies X-CommentService-Signature (HMAC-SHA256 keyed with this string's UTF-8 bytes); only this answer carries it.</summary>
    public string Secret { get; init; }
}
