using System.Globalization;

namespace MossGrains.Engine.Filtering;

/// <summary>A point and radius for <c>$near</c>; distances by the haversine formula on a sphere of radius 6,371,008.8 m (the mean Earth radius).</summary>
internal readonly record struct GeoCircle(double Latitude, double Longitude, double RadiusMeters)
{
    public const double EarthRadiusMeters = 6_371_008.8;

    public static bool TryParse(string text, out GeoCircle circle)
    {
        circle = default;
        var parts = text.Split(',');
        if (parts.Length != 3 || !TryParsePoint(parts[0], parts[1], out double lat, out double lng)
            || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double radius) || !(radius >= 0) || double.IsInfinity(radius))
        {
            return false;
        }

        circle = new GeoCircle(lat, lng, radius);
        return true;
    }

    /// <summary>True when <paramref name="point"/> ("lat,lng") lies within the circle; false when it does not parse.</summary>
    public bool Contains(string point)
    {
        int comma = point.IndexOf(',', StringComparison.Ordinal);
        return comma > 0 && TryParsePoint(point[..comma], point[(comma + 1)..], out double lat, out double lng)
            && DistanceMeters(Latitude, Longitude, lat, lng) <= RadiusMeters;
    }

    public static double DistanceMeters(double lat1, double lng1, double lat2, double lng2)
    {
        double dLat = DegreesToRadians(lat2 - lat1);
        double dLng = DegreesToRadians(lng2 - lng1);
        double h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(DegreesToRadians(lat1)) * Math.Cos(DegreesToRadians(lat2)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2));
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static bool TryParsePoint(string latText, string lngText, out double lat, out double lng)
    {
        lng = 0;
        return double.TryParse(latText, NumberStyles.Float, CultureInfo.InvariantCulture, out lat) && lat is >= -90 and <= 90
            && double.TryParse(lngText, NumberStyles.Float, CultureInfo.InvariantCulture, out lng) && lng is >= -180 and <= 180;
    }

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
