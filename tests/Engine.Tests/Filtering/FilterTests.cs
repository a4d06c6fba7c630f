using MossGrains.Engine.Filtering;

namespace MossGrains.Engine.Tests.Filtering;

public class FilterTests
{
    private static readonly Dictionary<string, string> Paris = new()
    {
        ["city"] = "Paris", ["year"] = "2021", ["price"] = "9.5", ["code"] = "B7", ["loc"] = "48.8566,2.3522",
    };

    [Theory]
    [InlineData("""{"field":"city","condition":{"$eq":"Paris"}}""", true)]
    [InlineData("""{"field":"city","condition":{"$eq":"paris"}}""", false)]
    [InlineData("""{"field":"city","condition":{"$ne":"Paris"}}""", false)]
    [InlineData("""{"field":"year","condition":{"$eq":2021}}""", true)]
    [InlineData("""{"field":"year","condition":{"$eq":"2021.0"}}""", true)]
    [InlineData("""{"field":"year","condition":{"$gt":2020}}""", true)]
    [InlineData("""{"field":"year","condition":{"$gte":2021}}""", true)]
    [InlineData("""{"field":"year","condition":{"$lt":2021}}""", false)]
    [InlineData("""{"field":"year","condition":{"$lte":2021}}""", true)]
    [InlineData("""{"field":"price","condition":{"$lt":10}}""", true)]
    [InlineData("""{"field":"code","condition":{"$gt":"B10"}}""", true)]
    [InlineData("""{"field":"city","condition":{"$in":["Oslo","Paris"]}}""", true)]
    [InlineData("""{"field":"city","condition":{"$nin":["Oslo","Paris"]}}""", false)]
    [InlineData("""{"field":"year","condition":{"$in":[1999, 2021]}}""", true)]
    [InlineData("""{"field":"loc","condition":{"$near":"48.8584,2.2945,5000"}}""", true)]
    [InlineData("""{"field":"loc","condition":{"$near":"48.8584,2.2945,4000"}}""", false)]
    [InlineData("""{"field":"missing","condition":{"$eq":"x"}}""", false)]
    [InlineData("""{"field":"missing","condition":{"$ne":"x"}}""", true)]
    [InlineData("""{"field":"missing","condition":{"$nin":["x"]}}""", true)]
    [InlineData("""{"field":"year","condition":{"$gte":2020,"$lt":2022}}""", true)]
    [InlineData("""{"$and":[{"field":"city","condition":{"$eq":"Paris"}},{"field":"year","condition":{"$gt":2021}}]}""", false)]
    [InlineData("""{"$or":[{"field":"city","condition":{"$eq":"Oslo"}},{"$and":[{"field":"year","condition":{"$gt":2000}}]}]}""", true)]
    public void Json_filters_match_as_documented(string json, bool expected) => Assert.Equal(expected, Filter.Parse(json).Matches(Paris));

    [Fact]
    public void Numeric_comparison_applies_only_when_both_sides_are_numbers()
    {
        // "B7" vs "B10": ordinal ("B7" > "B10"); 9.5 vs 10: numeric (a string comparison would say "9.5" > "10").
        Assert.True(Filter.Field("code").Gt("B10").Matches(Paris));
        Assert.True(Filter.Field("price").Lt(10).Matches(Paris));
        Assert.False(Filter.Field("price").Gt("10").Matches(Paris));
    }

    [Fact]
    public void Typed_builder_combines_with_operators_and_round_trips_through_json()
    {
        var filter = (Filter.Field("city").Eq("Paris") & Filter.Field("year").Gte(2020)) | Filter.Field("city").In("Oslo");
        Assert.True(filter.Matches(Paris));
        Assert.False(filter.Matches(new Dictionary<string, string> { ["city"] = "Paris", ["year"] = "2019" }));

        var reparsed = Filter.Parse(filter.ToJson());
        Assert.Equal(filter.ToJson(), reparsed.ToJson());
        Assert.True(reparsed.Matches(Paris));
    }

    [Fact]
    public void Near_uses_haversine_distance()
    {
        // Paris → London is about 343.5 km.
        var london = new Dictionary<string, string> { ["loc"] = "51.5074,-0.1278" };
        Assert.True(Filter.Field("loc").Near(48.8566, 2.3522, 344_000).Matches(london));
        Assert.False(Filter.Field("loc").Near(48.8566, 2.3522, 343_000).Matches(london));
        Assert.False(Filter.Field("loc").Near(48.8566, 2.3522, 1e9).Matches(new Dictionary<string, string> { ["loc"] = "not a point" }));
    }

    [Theory]
    [InlineData("""{"field":"city","condition":{"$regex":"P.*"}}""", "$.condition.$regex")]
    [InlineData("""{"$and":[{"field":"a","condition":{"$eq":"1"}},{"field":"b","condition":{"$like":"x"}}]}""", "$.$and[1].condition.$like")]
    [InlineData("""{"field":"city"}""", "$.condition")]
    [InlineData("""{"field":"","condition":{"$eq":"x"}}""", "$.field")]
    [InlineData("""{"field":"city","condition":{"$eq":"x"},"extra":1}""", "$.extra")]
    [InlineData("""{"field":"city","condition":{"$in":"Paris"}}""", "$.condition.$in")]
    [InlineData("""{"field":"city","condition":{"$eq":{"nested":1}}}""", "$.condition.$eq")]
    [InlineData("""{"field":"loc","condition":{"$near":"91,0,10"}}""", "$.condition.$near")]
    [InlineData("""{"$or":[]}""", "$.$or")]
    [InlineData("""[1,2]""", "$")]
    public void Malformed_filters_are_rejected_naming_the_path(string json, string path)
    {
        var error = Assert.Throws<ArgumentException>(() => Filter.Parse(json));
        Assert.Equal("json", error.ParamName);
        Assert.Contains($"at {path}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_is_an_argument_exception()
    {
        var error = Assert.Throws<ArgumentException>(() => Filter.Parse("{\"field\": "));
        Assert.Equal("json", error.ParamName);
    }
}
