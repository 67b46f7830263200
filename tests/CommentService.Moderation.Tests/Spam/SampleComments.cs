namespace CommentService.Moderation.Tests.Spam;

internal static class SampleComments
{
    /// <summary>About 1,000 characters of an ordinary, opinionated reader comment with one relevant link.</summary>
    public const string LongLegitimate =
        "I went in expecting another glossy romance and came out thinking about it for days. The first hour is slow, "
        + "almost stubbornly so, but that is the point: the two of them keep circling the one conversation they need "
        + "to have, and the camera just waits with them. Some people in my screening walked out, and I get it, it's "
        + "not for everyone. I also think the review is a little too kind to the third act. The dinner scene works, "
        + "but the airport ending felt like the studio asked for something neater than the rest of the film. Still, "
        + "the performances carry it. She does more with a pause than most actors do with a monologue, and he finally "
        + "gets a part that uses his awkwardness instead of hiding it. If you liked this, the director talks about the "
        + "casting and the rewrites here: https://www.bfi.org.uk/interviews/director-on-casting - worth ten minutes. "
        + "Tickets were $12 at my local cinema, and I'd pay it again. Three and a half stars from me, maybe four on a "
        + "second viewing.";
}
