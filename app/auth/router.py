from fastapi import APIRouter

router = APIRouter(prefix="/api-keys", tags=["api keys"])
