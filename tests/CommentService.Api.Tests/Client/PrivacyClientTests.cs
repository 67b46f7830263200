using CommentService.Api.Tests.Infrastructure;
using CommentService.Client;

namespace CommentService.Api.Tests.GeneratedClient;

/// <summary>Erasing an author's personal data, through the generated client against the running service.</summary>
[Collection(ServiceCollection.Name)]
public sealed class PrivacyClientTests(ServiceFixture service) : IDisposable
{
    private readonly ClientSession session = new(service);

    public void Dispose() => session.Dispose();

    [Fact]
    public async Task An_admin_erases_an_author_by_email_and_only_that_authors_comments_go()
    {
        var site = await session.NewSiteAsync();
        var admin = await session.KeyAsync(site, "admin");
        var reader = session.Reader;

        var first = await reader.CreateCommentAsync(site, "her", new CreateCommentRequest
        {
            AuthorName = "Greta", AuthorEmail = "greta@mail.example", Body = SampleText.Line(31),
        });
        var second = await reader.CreateCommentAsync(site, "her", new CreateCommentRequest
        {
            AuthorName = "Greta", AuthorEmail = "greta@mail.example", Body = SampleText.Line(32),
        });
        var other = await reader.CreateCommentAsync(site, "her", new CreateCommentRequest { AuthorName = "Hugo", Body = SampleText.Line(33) });

        var erased = await admin.EraseAuthorAsync(site, new EraseAuthorRequest { AuthorEmail = "greta@mail.example" });
        Assert.Equal(2, erased.Erased);
        Assert.Equal(new[] { first.Id!.Value, second.Id!.Value }.Order(), erased.CommentIds!.Order());

        var thread = await reader.ListThreadAsync(site, "her");
        Assert.Equal(other.Id, Assert.Single(thread.Items!).Id);
        Assert.Equal(0, (await admin.EraseAuthorAsync(site, new EraseAuthorRequest { AuthorEmail = "greta@mail.example" })).Erased);
        await ClientSession.ProblemAsync(403, "forbidden", async () =>
            await (await session.KeyAsync(site, "moderate")).EraseAuthorAsync(site, new EraseAuthorRequest { AuthorEmail = "hugo@mail.example" }));
    }
}
