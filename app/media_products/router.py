from fastapi import APIRouter

router = APIRouter(prefix="/media-products", tags=["media products"])
