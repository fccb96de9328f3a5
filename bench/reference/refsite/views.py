from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import Hit


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
def insert(request):
    hit = Hit.objects.create(note=request.method)
    return JsonResponse({"id": hit.pk})
