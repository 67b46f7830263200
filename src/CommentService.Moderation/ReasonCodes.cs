namespace CommentService.Moderation;

/// <summary>
/// Every reason code the library's phases can put on a <see cref="ModerationFlag"/>: the contract for
/// hosts that explain verdicts (the API maps each code to a public, non-teaching reason). A test reads
/// the library's source and fails when a phase writes a code that is not listed here.
/// </summary>
public static class ReasonCodes
{
    /// <summary>The codes, grouped by the phase family that writes them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        // Authors
        "author.banned",
        "author.new",
        "author.trusted",

        // The site's own terms
        "site.banned_term",
        "site.suspect_term",

        // Crude language
        "crude.sexual",
        "crude.profanity",
        "crude.insult",
        "crude.slur",
        "crude.hostile",

        // A reply read with its parent: informational, beside the crude phase's own flags
        "context.aimed_at_parent",
        "context.quotes_parent",
        "context.changed_outcome",

        // Spam signals and the scores that combine them
        "spam.link",
        "spam.links",
        "spam.link_only",
        "spam.link_ad",
        "spam.shortener",
        "spam.obfuscated_link",
        "spam.author_url",
        "spam.commercial",
        "spam.self_promotion",
        "spam.contact",
        "spam.phone",
        "spam.generic_praise",
        "spam.spun_praise",
        "spam.shouting",
        "spam.repeat",
        "spam.history",
        "spam.classifier",
        "spam.score",
        "spam.solicitation",
        "spam.engagement_bait",
        "spam.redirect",
        "spam.money_scheme",
        "spam.call_to_action",
        "spam.plea",
        "spam.crowd",

        // External classifiers: Akismet, and a site's classifier webhook (external.webhook.{its outcome})
        "external.unavailable",
        "external.akismet.spam",
        "external.akismet.clean",
        "external.webhook.approved",
        "external.webhook.pending",
        "external.webhook.spam",
        "external.webhook.rejected",

        // The site's pre-moderation policy
        "premoderation.all",
        "premoderation.new_author",
        "premoderation.links",
    ];
}
