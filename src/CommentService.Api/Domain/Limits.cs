namespace CommentService.Api.Domain;

/// <summary>Documented input limits (README, "Limits"). Validators and the schema both use these.</summary>
public static class Limits
{
    public const int SiteIdLength = 64;
    public const int SiteNameLength = 200;
    public const int MaxAllowedOrigins = 50;
    public const int OriginLength = 255;
    public const int MaxEditWindowMinutes = 7 * 24 * 60;
    public const int ArticleIdLength = 512;
    public const int ThreadTitleLength = 300;
    public const int TermLength = 100;
    public const int MaxSiteTerms = 1000;
    public const int ReasonLength = 500;
    public const int ReasonCodeLength = 64;
    public const int MaxBulkDecisions = 1000;
    public const int MaxPinnedPerThread = 5;
    public const int AuthorNameLength = 80;
    public const int AuthorEmailLength = 254;
    public const int AuthorUrlLength = 2048;
    public const int BodyLength = 10_000;
    public const int KeyNameLength = 100;
    public const int MaxCountArticles = 100;
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int DefaultRepliesPerItem = 50;
    public const int MaxRepliesPerItem = 200;
}
