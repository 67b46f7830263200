using CommentService.Api.Infrastructure.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CommentService.Api.Infrastructure.Scaling;

/// <summary>Registrations for running as several instances: the read replica, cache signals, telemetry.</summary>
public static class ScalingSetup
{
    public static void AddReadReplica(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReadReplicaOptions>()
            .BindConfiguration(ReadReplicaOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ReadReplica>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadReplica>());
        builder.Services.AddScoped<ReadDb>();
        builder.Services.AddSingleton<CacheSignals>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CacheSignals>());
        builder.Services.AddHealthChecks().AddCheck<ReadReplicaCheck>("read-replica", tags: ["ready"]);
    }

    /// <summary>
    /// The service's meter and gauges always; the OpenTelemetry SDK (traces, metrics and logs over OTLP)
    /// when OTEL_EXPORTER_OTLP_ENDPOINT is set, configured by the standard OTEL_* variables.
    /// </summary>
    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ServiceMetrics>();
        builder.Services.AddSingleton<GaugeSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GaugeSampler>());

        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "commentservice",
                serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Probes every few seconds would drown the traces that matter.
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health");
                    // A reader's address is personal data: it never leaves in a span.
                    o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("client.address", null).SetTag("network.peer.address", null);
                })
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    // Outbound URLs can hold secrets (Akismet's key is its host name): keep the scheme and path only.
                    if (request.RequestUri is { } uri)
                    {
                        activity.SetTag("url.full", uri.Scheme + "://[redacted]" + uri.AbsolutePath);
                        activity.SetTag("server.address", "[redacted]");
                    }
                })
                .AddSource("Npgsql"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(ServiceMetrics.MeterName, "Npgsql", "System.Runtime"))
            .WithLogging()
            .UseOtlpExporter();
    }
}
