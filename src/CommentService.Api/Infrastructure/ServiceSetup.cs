using System.Net;
using CommentService.Api.Data;
using CommentService.Api.Domain;
using CommentService.Api.Features.Comments.ListThread;
using CommentService.Api.Infrastructure.Auth;
using FastEndpoints;
using FastEndpoints.Swagger;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NSwag;

namespace CommentService.Api.Infrastructure;

/// <summary>The registrations Program.cs lists, one method per concern.</summary>
public static class ServiceSetup
{
    // Settings are read when the container resolves them, not while Program builds, so test hosts and
    // environment overrides apply everywhere alike.
    public static void AddCommentServiceOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServiceOptions>()
            .BindConfiguration(ServiceOptions.Section)
            .PostConfigure<IConfiguration>((o, config) =>
            {
                o.AdminKey ??= config["COMMENTS_ADMIN_KEY"];
                // During a rotation the old operator key keeps working until it is removed (README, "Rotating secrets").
                if (config["COMMENTS_ADMIN_KEY_PREVIOUS"] is { Length: > 0 } previous)
                {
                    o.PreviousAdminKeys.AddRange(previous.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
                o.Limits, new System.ComponentModel.DataAnnotations.ValidationContext(o.Limits), null, validateAllProperties: true),
                "A setting under Comments:Limits is out of range.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServiceOptions>>((k, options) =>
        {
            // Hostile clients: bounded bodies and headers, and slow ones (slowloris) cut off (README, "Limits").
            var limits = options.Value.Limits;
            k.Limits.MaxRequestBodySize = options.Value.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes;
            k.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
            k.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);
            k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds);
            k.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(limits.MinDataRateGraceSeconds));
            k.Limits.MinResponseDataRate = new MinDataRate(limits.MinResponseBytesPerSecond, TimeSpan.FromSeconds(limits.MinDataRateGraceSeconds));
            k.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
            // Header values are read byte for byte (Latin-1) rather than refused by Kestrel with a bare 400 when
            // they hold a byte outside ASCII: each header's own check then answers with a problem naming it.
            k.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
            k.AddServerHeader = false;
        });
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ServiceOptions>>((o, options) =>
        {
            // Loopback proxies are trusted by default; more come from Comments:TrustedProxies.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in options.Value.TrustedProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
    }

    private const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=postgres;Database=comments";

    /// <summary>
    /// Npgsql prepares a statement on a pooled connection after its fifth use, so PostgreSQL stops parsing and
    /// planning the few dozen statements every comment post sends (the gate's batch, the write transaction):
    /// the benchmark measured PostgreSQL's CPU per posted comment before and after. A connection string that
    /// sets Max Auto Prepare itself keeps its value.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }
        return builder.ConnectionString;
    }

    public static void AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddDbContext<CommentsDb>((sp, o) => o
            .UseNpgsql(
                WithAutoPrepare(sp.GetRequiredService<IConfiguration>().GetConnectionString("Comments") ?? DefaultConnectionString),
                npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            // Per request: marks the request's Idempotency-Key claim committed inside each of its transactions.
            .AddInterceptors(sp.GetRequiredService<Idempotency.IdempotencyCommitMark>()));
        builder.Services.AddScoped<Idempotency.IdempotencyScope>();
        builder.Services.AddScoped<Idempotency.IdempotencyCommitMark>();
        builder.Services.AddDataProtection()
            .SetApplicationName("CommentService")
            .PersistKeysToDbContext<CommentsDb>();
        builder.Services.AddScoped<CommentTree>();
        builder.Services.AddSingleton<BodyRenderer>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<SiteOrigins>();
        builder.Services.AddSingleton<UserTokens>();
        builder.Services.AddSingleton<ReaderIdentity>();
        builder.Services.AddSingleton(sp => ThreadReadSource.Create(
            sp.GetRequiredService<IConfiguration>().GetConnectionString("Comments") ?? DefaultConnectionString,
            sp.GetRequiredService<IConfiguration>().GetConnectionString(Scaling.ReadReplicaOptions.ConnectionStringName)));
        builder.Services.AddSingleton<ThreadReader>();
        builder.Services.AddSingleton(_ => CommentService.Moderation.ModerationPipeline.CreateDefault());
        builder.Services.AddScoped<Features.Moderation.ModerationGate>();
        builder.Services.AddScoped<Features.Moderation.ExternalClassifiers>();
        builder.Services.AddScoped<Features.Moderation.Rules.ObservedRules>();
        builder.Services.AddScoped<Features.Moderation.Rules.RuleChanges>();
        builder.Services.AddOptions<Features.Moderation.ClassifierOptions>().BindConfiguration(Features.Moderation.ClassifierOptions.Section);
        builder.Services.AddHttpClient(Features.Moderation.ClassifierOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => Features.Webhooks.OutboundAddresses.Handler(
                sp.GetRequiredService<IOptions<Features.Moderation.ClassifierOptions>>().Value.AllowPrivateNetworks));
        builder.Services.AddScoped<Features.Moderation.Decisions>();
        builder.Services.AddScoped<Features.Comments.Appeals.AppealLedger>();
        builder.Services.AddScoped<Features.Moderation.SpamLearning>();
        builder.Services.AddSingleton<Features.Moderation.GateReads>();
        builder.Services.AddSingleton<KeyedHashes>();
        builder.Services.AddSingleton<DatabaseState>();
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator>());
    }

    public static void AddApiKeyAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddSingleton<IAuthorizationHandler, SiteScopeHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Operator, p => p.RequireClaim(Claims.Operator, "true"))
            .AddPolicy(Policies.SiteAdmin, p => p.AddRequirements(new SiteScopeRequirement(ApiScopes.Admin)))
            .AddPolicy(Policies.SiteModerator, p => p.AddRequirements(new SiteScopeRequirement(ApiScopes.Moderate)));
    }

    public static void AddHealth(this WebApplicationBuilder builder) =>
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);

    public static void MapHealth(this WebApplication app)
    {
        // Liveness never touches the database, so an outage does not get healthy processes restarted.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
    }

    public static void AddOpenApiDocument(this WebApplicationBuilder builder) =>
        builder.Services.SwaggerDocument(o =>
        {
            o.ShortSchemaNames = false;
            o.EnableJWTBearerAuth = false;
            o.AutoTagPathSegmentIndex = 0;
            o.DocumentSettings = d =>
            {
                d.DocumentName = "v1";
                d.SchemaSettings.SchemaNameGenerator = new SchemaNames();
                // Unknown JSON fields are ignored by the API, so clients must not be stricter.
                d.SchemaSettings.AlwaysAllowAdditionalObjectProperties = true;
                d.OperationProcessors.Add(new Features.Imports.Start.ImportFileBody());
                d.OperationProcessors.Add(new Features.Exports.JsonLinesDownload());
                d.Title = "CommentService";
                d.Version = "v1";
                d.Description = "A self-hosted, moderated comment service. Errors are RFC 9457 problem details; see the README for their types.";
                d.AddAuth(ApiKeyAuthentication.SchemeName, new OpenApiSecurityScheme
                {
                    Type = OpenApiSecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "API key",
                    Description = "An API key as Authorization: Bearer <key>: the operator's COMMENTS_ADMIN_KEY, or a site key "
                        + "(csk_...) with scopes: comments:read (read threads, comments, counts), comments:write (post, vote, report as a server), "
                        + "moderate (the moderation routes; includes comments:read), admin (the site's settings, keys, webhooks; includes every scope). "
                        + "A site key works only on its own site. Each operation lists the scope it needs in x-required-scopes "
                        + "(\"operator\": the operator's key only; on routes with optional security, the scope a key needs if one is sent).",
                });
                d.OperationProcessors.Add(new OpenApiContract());
            };
        });

    public static void UseCommentServiceEndpoints(this WebApplication app)
    {
        app.UseMiddleware<WholeBodyReader>();
        app.UseMiddleware<ContentTypeGate>();
        app.UseMiddleware<Idempotency.IdempotencyMiddleware>();
        app.UseFastEndpoints(c =>
        {
            c.Endpoints.RoutePrefix = "v1";
            c.Endpoints.ShortNames = true;
            // A thread nests replies up to Comments:MaxDepth (at most 64) levels, two JSON levels each
            // (the comment and its replies array): more than System.Text.Json's default of 64.
            c.Serializer.Options.MaxDepth = 160;
            c.Errors.UseProblemDetails(p =>
            {
                p.TypeTransformer = _ => ProblemTypes.Validation;
                p.TitleTransformer = _ => "One or more fields are invalid.";
            });
        });
    }

    /// <summary>
    /// One attempt to bring the schema up to date before the host starts, so that services that read
    /// the database at start-up (the Data Protection key ring) find their tables. If PostgreSQL is not
    /// reachable, start anyway: the migrator keeps retrying in the background and readiness fails.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await app.Services.GetRequiredService<DatabaseMigrator>().TryOnceAsync(timeout.Token);
    }

    public static void LogStartupWarnings(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ServiceOptions>>().Value;
        if (string.IsNullOrEmpty(options.AdminKey))
        {
            app.Logger.LogWarning("COMMENTS_ADMIN_KEY is not set: operator routes (creating sites) answer 401 until it is");
        }
    }
}

/// <summary>Writes openapi.yaml without starting the server or touching the database.</summary>
public static class OpenApiExport
{
    public static bool Requested(string[] args, out string path)
    {
        var at = Array.IndexOf(args, "--export-openapi");
        path = at >= 0 && at + 1 < args.Length ? args[at + 1] : "";
        return at >= 0;
    }

    public static async Task<string> GenerateYamlAsync(IServiceProvider services)
    {
        var generator = services.GetRequiredService<NSwag.Generation.IOpenApiDocumentGenerator>();
        var document = await generator.GenerateAsync("v1");
        return NSwag.OpenApiYamlDocument.ToYaml(document).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    public static async Task WriteAsync(WebApplication app, string path)
    {
        // Routing publishes the endpoints to the document generator; nothing is started.
        app.UseRouting();
        app.UseCommentServiceEndpoints();
        app.UseEndpoints(_ => { });
        await File.WriteAllTextAsync(path, await GenerateYamlAsync(app.Services));
        app.Logger.LogInformation("Wrote {Path}", path);
    }
}
