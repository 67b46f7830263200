using CommentService.Api.Tests.Infrastructure;

namespace CommentService.Api.Tests.Import;

[Collection(ServiceCollection.Name)]
public sealed class ImportAccessTests(ServiceFixture service)
{
    [Fact]
    public async Task Only_the_operator_or_a_site_admin_key_may_import_or_read_an_import()
    {
        var site = await service.CreateSiteAsync();
        var other = await service.CreateSiteAsync();
        var file = ExportFiles.Disqus(threads: 1, comments: 3, chain: 2, idPrefix: "acc").Text;
        var callers = new[]
        {
            (service.Anonymous(), 401),
            (service.WithKey("csk_not-a-real-key"), 401),
            (service.WithKey(await service.CreateKeyAsync(site, "moderate")), 403),
            (service.WithKey(await service.CreateKeyAsync(site, "comments:write")), 403),
            (service.WithKey(await service.CreateKeyAsync(other, "admin")), 403),
        };
        var before = await service.ContentChecksumAsync();
        foreach (var (client, status) in callers)
        {
            using (client)
            using (var response = await ImportApi.PostFileAsync(client, site, "format=disqus", file))
            {
                await Expect.ProblemAsync(response, status);
            }
        }
        Assert.Equal(before, await service.ContentChecksumAsync());

        using var admin = service.WithKey(await service.CreateKeyAsync(site, "admin"));
        using var accepted = await ImportApi.PostFileAsync(admin, site, "format=disqus", file);
        var id = (await Expect.JsonAsync(accepted, 202))["id"]!.GetValue<string>();
        ImportApi.Succeeded(await ImportApi.WaitAsync(admin, site, id), 3);

        using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
        await Expect.ProblemAsync(await moderator.GetAsync($"{ImportApi.ImportsPath(site)}/{id}"), 403);
        using var operatorClient = service.Operator();
        await Expect.ProblemAsync(await operatorClient.GetAsync($"{ImportApi.ImportsPath(other)}/{id}"), 404, "not-found");
        await Expect.ProblemAsync(await operatorClient.GetAsync($"{ImportApi.ImportsPath(site)}/not-a-guid"), 400);
    }

    [Fact]
    public async Task Only_the_operator_or_a_site_moderator_key_may_export()
    {
        var site = await service.CreateSiteAsync();
        var other = await service.CreateSiteAsync();
        await service.PostCommentAsync(site, "a/b", SampleText.Line(1));
        foreach (var path in new[] { $"/v1/sites/{site}/export", $"/v1/sites/{site}/articles/a%2Fb/export" })
        {
            foreach (var (client, status) in new[]
                     {
                         (service.Anonymous(), 401),
                         (service.WithKey(await service.CreateKeyAsync(site, "comments:read")), 403),
                         (service.WithKey(await service.CreateKeyAsync(other, "moderate")), 403),
                     })
            {
                using (client)
                {
                    await Expect.ProblemAsync(await client.GetAsync(path), status);
                }
            }
            using var moderator = service.WithKey(await service.CreateKeyAsync(site, "moderate"));
            Assert.Equal(3, (await ImportApi.ExportAsync(moderator, path)).Count);
        }
        using var operatorClient = service.Operator();
        await Expect.ProblemAsync(await operatorClient.GetAsync("/v1/sites/no-such-site/export"), 404, "not-found");
    }
}
